/**
 * Training on the model thread: the built module (dist/, where the thread's entry is compiled
 * beside it) gives the model file and figures the sources give on the calling thread.
 */
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runningExampleLog } from '../testing/running-example.js';
import { syntheticLog } from '../testing/synthetic-log.js';
import type * as TrainOffThreadModule from './train-off-thread.js';
import { trainModelFile, type TrainedModelFile } from './train-off-thread.js';

const built = (await import(path.resolve('dist/libs/mining/src/prediction/train-off-thread.js'))) as typeof TrainOffThreadModule;

/** The file without its training time, which differs between any two trainings. */
const withoutTrainingTime = (file: TrainedModelFile): TrainedModelFile => ({ ...file, json: file.json.replace(/"trainedAt":"[^"]*"/, '') });

describe('the model thread', () => {
  it('trains the model trainModelFile trains, concurrent requests each answered with their own', async () => {
    const logs = [runningExampleLog(), syntheticLog(300, 7), syntheticLog(2, 3), syntheticLog(1, 4)];
    const threaded = await Promise.all(logs.map((log) => built.trainModelFileOffThread(log)));
    expect(threaded.map(withoutTrainingTime)).toEqual(logs.map((log) => withoutTrainingTime(trainModelFile(log))));
    expect(threaded[1]!.metrics.accuracy).not.toBeNull();
  });
});
