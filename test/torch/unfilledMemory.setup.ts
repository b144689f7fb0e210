// The engine against PyTorch with the memory it has in the worker and the CLI.
import { useNodeMemory } from '../../node/unfilledMemory';

useNodeMemory();
