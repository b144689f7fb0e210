# Nested floats in JSON, where non-finite numbers travel as strings: shared by
# the differential-test oracle (test/torch/oracle.py) and the kernel-case
# recorder (scripts/fixtures/record-kernel-cases.py).
import math

# How strict JSON writes them (the engine's CLI document, the oracle's answers).
STRICT = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}
# How the recorded fixtures write them (as the golden file does).
SHORT = {"nan": "nan", "inf": "inf", "-inf": "-inf"}

NON_FINITE = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan, "Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}


def encode(value, spelling=STRICT):
    """Nested floats with non-finite numbers as strings, spelt the way `spelling` says."""
    if isinstance(value, list):
        return [encode(v, spelling) for v in value]
    if math.isnan(value):
        return spelling["nan"]
    if math.isinf(value):
        return spelling["inf"] if value > 0 else spelling["-inf"]
    return value


def decode(value):
    """Nested floats from JSON, either spelling of non-finite numbers."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, str):
        return NON_FINITE[value]
    return value
