import type {
  EmitContext,
  IngestContext,
  ReportInit,
  UnrepresentableAction,
  UnrepresentableInit,
} from '@meshlingo/core';
import { istioMessages, type IstioMessages } from './messages.js';
import type { IstioOptions } from './options.js';

/** The emit context of this adapter. */
export type IstioEmitContext = EmitContext<IstioOptions, IstioMessages>;
/** The ingest context of this adapter. */
export type IstioIngestContext = IngestContext<IstioOptions, IstioMessages>;
/** A message id of this adapter. */
export type MessageId = keyof IstioMessages;

/**
 * Reports for one output object and remembers whether anything lossy was said about it: only an
 * exact translation may carry the `meshlingo.io/smi` annotation.
 */
export class LossTracker {
  private lossy = false;

  constructor(private readonly ctx: IstioEmitContext | IstioIngestContext) {}

  /** True once a loss (an error or a non-cosmetic effect) was reported. */
  get isLossy(): boolean {
    return this.lossy;
  }

  report(id: MessageId, init: ReportInit = {}): void {
    const spec = istioMessages[id] as { severity: string; effect?: string };
    const effect = init.effect ?? spec.effect;
    const severity = init.severity ?? spec.severity;
    if (severity === 'error' || (effect !== undefined && effect !== 'cosmetic')) this.lossy = true;
    this.ctx.report(id, init);
  }

  unrepresentable(id: MessageId, init: UnrepresentableInit = {}): UnrepresentableAction {
    this.lossy = true;
    return this.ctx.unrepresentable(id, init);
  }

  /**
   * For a loss that can only widen access (a DENY policy that SMI cannot hold): an error unless
   * the user chose `--on-unrepresentable widen`, then a warning. Returns true when accepted.
   */
  widening(id: MessageId, init: ReportInit = {}): boolean {
    this.lossy = true;
    const mode = this.ctx.core.onUnrepresentable;
    this.ctx.report(id, {
      ...init,
      data: { ...init.data, onUnrepresentable: mode },
      severity: mode === 'widen' ? 'warning' : 'error',
      effect: 'widens-access',
    });
    return mode === 'widen';
  }
}
