/** A pause a polling loop takes between rounds, which `wake()` cuts short (new work, or a stop). */
export class Nap {
  private cut: (() => void) | undefined;

  take(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.cut = done;
    });
  }

  wake(): void {
    this.cut?.();
  }
}
