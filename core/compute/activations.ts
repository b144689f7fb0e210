// The activations between Linear layers; their kernels are in each kernel set.
export type ActivationName = 'relu' | 'tanh' | 'sigmoid' | 'gelu';

export const ACTIVATION_NAMES: readonly ActivationName[] = ['relu', 'tanh', 'sigmoid', 'gelu'];
