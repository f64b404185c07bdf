import type { RealtimeRequests } from './requests';

/**
 * Whether this tab wants every ticket's changes (`tickets:watch`): only while something showing
 * ticket lists is on screen (home tabs, /queue, the agents' load). The server sends
 * `ticket:changed` and `sla:alert` to the staff sockets that watch and to those with the ticket
 * open, no longer to every staff socket: with thousands of agents connected, each change written
 * to each of them was most of the server's work (bench:chat, 5,000 sockets). Counted, so several
 * lists on one page share one watch; told again after each reconnect (a new socket is in no room).
 * What changed while not watching was not pushed: a list fetches on mount, and after a reconnect
 * `useLiveUpdates` asks again for every ticket query.
 */
export class ListWatch {
  private count = 0;
  private told = false;
  private stopFollowing: (() => void) | undefined;

  constructor(private readonly realtime: Pick<RealtimeRequests, 'request' | 'getStatus' | 'subscribe'>) {}

  /** A list is on screen; returns its release. */
  hold(): () => void {
    this.count += 1;
    if (this.count === 1) {
      this.stopFollowing = this.realtime.subscribe(() => this.sync());
      this.sync();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.count -= 1;
      if (this.count > 0) return;
      this.stopFollowing?.();
      this.stopFollowing = undefined;
      this.sync();
    };
  }

  /** Tells the server what this tab wants whenever that or the connection changed. */
  private sync(): void {
    const connected = this.realtime.getStatus() === 'connected';
    if (!connected) {
      // The server forgets a socket's rooms with the socket: watch again on the next one.
      this.told = false;
      return;
    }
    const want = this.count > 0;
    if (want === this.told) return;
    this.told = want;
    this.realtime.request('tickets:watch', { watch: want }).catch(() => {
      // Not answered: try again on the next change of the connection.
      if (this.told === want) this.told = !want;
    });
  }
}
