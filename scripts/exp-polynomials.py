# Prints the constants of wasm/exp.ts: the polynomials P(r) with
# exp(r) ≈ 1 + r + r²·P(r), near-minimax fits (mpmath's chebyfit) of degree 4
# (float32) and 9 (float64) on |r| ≤ ln2/2 and of degree 3 on |r| ≤ ln2/128
# (float64's table-driven exp), with each fit's error; then the table of
# 2^(j/64), j = 0…63, each as hi (the nearest float64) and lo (the rest).
# Needs mpmath (Debian: python3-mpmath). Run: python3 scripts/exp-polynomials.py
import struct

import mpmath as mp

mp.mp.dps = 50
HALF_LN2 = mp.log(2) / 2


def p_exact(r):
    """(exp(r) − 1 − r) / r²; its series near 0, where the quotient cancels."""
    return mp.mpf(1) / 2 + r / 6 + r**2 / 24 if abs(r) < mp.mpf("1e-12") else (mp.exp(r) - 1 - r) / r**2


def as_dtype(value, dtype):
    """The nearest float32 (as a Python float) or the float64 itself."""
    return struct.unpack("f", struct.pack("f", value))[0] if dtype == "float32" else value


for dtype, degree, half_width in (("float32", 4, HALF_LN2), ("float64", 9, HALF_LN2), ("float64", 3, HALF_LN2 / 64)):
    coefficients, error = mp.chebyfit(p_exact, [-half_width, half_width], degree + 1, error=True)
    print(f"{dtype}: degree {degree} on |r| <= {float(half_width):.6g}, max error of P {float(error):.3g}")
    for a in reversed(coefficients):  # a_0 first, as wasm/exp.ts lists them
        print(f"  {as_dtype(float(a), dtype)!r}")

print("2^(j/64) as hi, lo:")
for j in range(64):
    exact = mp.power(2, mp.mpf(j) / 64)
    print(f"  {float(exact)!r}, {float(exact - mp.mpf(float(exact)))!r},")
