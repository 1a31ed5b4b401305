/**
 * The built-in components: an explicit list, in the order the docs present them. A component
 * not listed here is not built in (custom components load from module paths).
 */
import concatenate from './concatenate.ts';
import dataGenerator from './data-generator.ts';
import fail from './fail.ts';
import fileReader from './file-reader.ts';
import fileWriter from './file-writer.ts';
import jsonExtract from './json-extract.ts';
import listFiles from './list-files.ts';
import createFiles from './create-files.ts';
import deleteFiles from './delete-files.ts';
import copyFiles from './copy-files.ts';
import moveFiles from './move-files.ts';
import httpConnector from './http-connector.ts';
import filter from './filter.ts';
import paramsFileWriter from './params-file-writer.ts';
import partition from './partition.ts';
import reformat from './reformat.ts';
import simpleCopy from './simple-copy.ts';
import simpleGather from './simple-gather.ts';
import trash from './trash.ts';

export const BUILTIN_COMPONENTS = [
  dataGenerator,
  fileReader,
  fileWriter,
  jsonExtract,
  reformat,
  filter,
  partition,
  simpleCopy,
  concatenate,
  simpleGather,
  trash,
  fail,
  paramsFileWriter,
  listFiles,
  createFiles,
  deleteFiles,
  copyFiles,
  moveFiles,
  httpConnector,
] as const;
