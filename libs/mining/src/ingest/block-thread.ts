/** Entry of a block read thread (see block-readers.ts): parses the CSV and XES blocks of the reads it is given. */
import { serveRequests } from '../threads/request-thread.js';
import { handleBlockRequest, transferablesOfBlock } from './block-readers.js';

serveRequests(handleBlockRequest, transferablesOfBlock);
