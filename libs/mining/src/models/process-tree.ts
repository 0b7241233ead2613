/** Reading a process tree: its text form and sizes. */
import type { ProcessTree, ProcessTreeOperator } from './petri-net.js';

const OPERATOR_SYMBOL: Readonly<Record<ProcessTreeOperator, string>> = {
  sequence: '->',
  exclusiveChoice: 'X',
  parallel: '+',
  loop: '*',
};

/** pm4py's notation: `->( 'a', X( 'b', 'c' ), *( 'd', tau ) )`; quotes and backslashes in names are escaped. */
export function processTreeToString(tree: ProcessTree): string {
  switch (tree.kind) {
    case 'tau':
      return 'tau';
    case 'activity':
      return `'${tree.label.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    case 'operator':
      return `${OPERATOR_SYMBOL[tree.operator]}( ${tree.children.map(processTreeToString).join(', ')} )`;
  }
}

export interface ProcessTreeSize {
  /** Every node, leaves included. */
  readonly nodes: number;
  readonly activityLeaves: number;
  readonly tauLeaves: number;
  readonly operators: Readonly<Record<ProcessTreeOperator, number>>;
}

export function processTreeSize(tree: ProcessTree): ProcessTreeSize {
  const operators: Record<ProcessTreeOperator, number> = { sequence: 0, exclusiveChoice: 0, parallel: 0, loop: 0 };
  let nodes = 0;
  let activityLeaves = 0;
  let tauLeaves = 0;
  const visit = (node: ProcessTree): void => {
    nodes++;
    if (node.kind === 'activity') activityLeaves++;
    else if (node.kind === 'tau') tauLeaves++;
    else {
      operators[node.operator]++;
      node.children.forEach(visit);
    }
  };
  visit(tree);
  return { nodes, activityLeaves, tauLeaves, operators };
}
