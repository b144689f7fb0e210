// PyTorch's CPU generator: MT19937 seeded as torch.manual_seed(s) does, and
// the float32 uniform_ transformation, so `torch_seed` initialisation is bit-exact.
const N = 624;
const M = 397;

export class MT19937 {
  private readonly state = new Uint32Array(N);
  private index = N;

  constructor(seed: number) {
    // torch.manual_seed keeps the low 32 bits for the Mersenne Twister.
    this.state[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.state[i - 1] ^ (this.state[i - 1] >>> 30);
      this.state[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  private twist(): void {
    const s = this.state;
    for (let i = 0; i < N; i++) {
      const y = (s[i] & 0x80000000) | (s[(i + 1) % N] & 0x7fffffff);
      let v = s[(i + M) % N] ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      s[i] = v >>> 0;
    }
    this.index = 0;
  }

  /** The next 32-bit output. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * PyTorch's float32 uniform_(from, to): 24 random bits, then x·(to − from) + from,
   * which PyTorch's CPU build contracts to one fused multiply-add. The product of two
   * 24-bit floats is exact in a double, so one rounding of the double sum matches it.
   */
  uniformFloat32(from: number, to: number): number {
    const f = Math.fround;
    const unit = (this.nextUint32() & 0xffffff) * 2 ** -24;
    const lo = f(from);
    return f(unit * f(f(to) - lo) + lo);
  }

  /** A double in [0, 1) from 53 random bits (two outputs, as PyTorch's random64). */
  nextDouble(): number {
    const hi = this.nextUint32() & 0x1fffff;
    const lo = this.nextUint32();
    return (hi * 2 ** 32 + lo) * 2 ** -53;
  }

  /** A standard normal draw (Box–Muller on doubles); used for scenario data, not for PyTorch parity. */
  nextNormal(): number {
    const u = 1 - this.nextDouble();
    const v = this.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.nextDouble() * n);
  }
}
