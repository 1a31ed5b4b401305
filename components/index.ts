/**
 * The built-in components: an explicit list, in the order the docs present them. A component
 * not listed here is not built in (custom components load from module paths).
 */
import concatenate from './concatenate.ts';
import dataGenerator from './data-generator.ts';
import fail from './fail.ts';
import filter from './filter.ts';
import partition from './partition.ts';
import reformat from './reformat.ts';
import simpleCopy from './simple-copy.ts';
import simpleGather from './simple-gather.ts';
import trash from './trash.ts';

export const BUILTIN_COMPONENTS = [
  dataGenerator,
  reformat,
  filter,
  partition,
  simpleCopy,
  concatenate,
  simpleGather,
  trash,
  fail,
] as const;
