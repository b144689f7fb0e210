# Prints the coefficients of wasm/exp.ts's polynomials: P(r) with
# exp(r) ≈ 1 + r + r²·P(r) on |r| ≤ ln2/2, a near-minimax fit (mpmath's
# chebyfit) of degree 4 for float32 and 9 for float64, and the fit's error.
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


for dtype, degree in (("float32", 4), ("float64", 9)):
    coefficients, error = mp.chebyfit(p_exact, [-HALF_LN2, HALF_LN2], degree + 1, error=True)
    print(f"{dtype}: degree {degree}, max error of P {float(error):.3g}")
    for a in reversed(coefficients):  # a_0 first, as wasm/exp.ts lists them
        print(f"  {as_dtype(float(a), dtype)!r}")
