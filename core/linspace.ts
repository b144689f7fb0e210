// torch.linspace's grid, computed as PyTorch computes it: sweeps use it for
// their points and calibration for its bin edges, so both match PyTorch's bits.

/** torch.linspace(from, to, steps), computed from both ends as PyTorch does. */
export function linspace(from: number, to: number, steps: number): number[] {
  if (steps === 1) return [from];
  const step = (to - from) / (steps - 1);
  const halfway = Math.floor(steps / 2);
  return Array.from({ length: steps }, (_, i) => (i < halfway ? from + step * i : to - step * (steps - i - 1)));
}
