// Writes .npy bytes the way numpy.save does, for tests (the engine's own writer).
export { npyBytes } from '../../core/npyWrite';
