/**
 * What of a signer waits on fees above MAX_FEE_PER_GAS_GWEI ("send", or a nonce whose replacement does): said
 * once in the log when the first starts waiting and once when the last stops, and read by the gauge.
 */
export class FeeCeilingWait {
  private readonly waiting = new Set<string>();

  constructor(
    private readonly signer: string,
    private readonly log?: Pick<Console, "info" | "warn">,
  ) {}

  get blocked(): boolean {
    return this.waiting.size > 0;
  }

  block(what: string, blocked: { needed: bigint; ceiling: bigint }): void {
    if (this.waiting.size === 0) {
      this.log?.warn(
        { signer: this.signer, neededWei: String(blocked.needed), ceilingWei: String(blocked.ceiling) },
        "fees are above MAX_FEE_PER_GAS_GWEI; waiting for them to fall before sending or replacing",
      );
    }
    this.waiting.add(what);
  }

  unblock(what: string): void {
    if (this.waiting.delete(what) && this.waiting.size === 0) {
      this.log?.info({ signer: this.signer }, "fees are under the ceiling again; sending");
    }
  }
}
