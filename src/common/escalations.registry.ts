import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A low satisfaction answer that should become an incident for supervisors. */
export interface EscalationRequest {
  memberId: string | null;
  /** For a contact without a card. */
  contact?: { name?: string | null; email?: string | null; phone?: string | null } | null;
  storeId?: string | null;
  purchaseId?: string | null;
  /** Where it came from: a follow-up attempt or a survey response. */
  source: { type: 'followup_attempt' | 'survey_response'; id: string };
  channel: 'phone' | 'email' | 'sms' | 'web';
  satisfaction: { kind: 'csat' | 'nps'; score: number; comment?: string | null };
  locale?: string;
}

export interface EscalationResult {
  caseId: string;
  registryNumber: string;
}

/**
 * The cases module opens incidents for low scores through this port, so follow-up and surveys
 * need no dependency on cases. With no handler registered, `open` answers null and the caller
 * records the escalation itself.
 */
export interface EscalationHandler {
  open(tx: EntityManager, request: EscalationRequest): Promise<EscalationResult>;
}

@Injectable()
export class Escalations {
  private handler: EscalationHandler | null = null;

  register(handler: EscalationHandler): void {
    this.handler = handler;
  }

  async open(tx: EntityManager, request: EscalationRequest): Promise<EscalationResult | null> {
    return this.handler ? this.handler.open(tx, request) : null;
  }
}
