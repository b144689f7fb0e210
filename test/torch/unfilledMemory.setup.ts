// The engine against PyTorch with the memory it has in the worker and the CLI.
import { useUnfilledMemory } from '../../core/compute/unfilledArrays';
import { nodeUnfilledMemory } from '../../node/unfilledMemory';

useUnfilledMemory(nodeUnfilledMemory);
