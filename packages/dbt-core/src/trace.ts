/** The event sequence of an execution (dbtlab trace): the talk's two flow diagrams, measured. */
export type TraceEventKind =
  | 'lookup-miss'
  | 'translate'
  | 'enter'
  | 'tb-start'
  | 'context-save'
  | 'helper-call'
  | 'syscall'
  | 'context-restore'
  | 'unwind'
  | 'exit'
  | 'chain-patch'
  | 'indirect-hit'
  | 'smc-fault'
  | 'invalidate';

export interface TraceEvent {
  kind: TraceEventKind;
  pc?: number;
  detail?: string;
  /** host instructions executed so far: orders events against the machine's work */
  hostInsns: number;
}
