/** Injection token of the datasets' use cases (the stores come with STORES). */
export const DATASET_IMPORTER = Symbol('DatasetImporter');
