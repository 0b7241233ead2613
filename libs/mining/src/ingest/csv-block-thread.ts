/** Entry of a CSV block thread (see csv-block-readers.ts): parses the blocks of the reads it is given. */
import { serveRequests } from '../threads/request-thread.js';
import { handleCsvBlockRequest, transferablesOfBlock } from './csv-block-readers.js';

serveRequests(handleCsvBlockRequest, transferablesOfBlock);
