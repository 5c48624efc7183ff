/**
 * `--demo`: a traffic generator inside the simulator that calls the simulator over real HTTP, as clients would.
 * All demo keys allow client mock responses, so demo traffic costs nothing; mock_delay sets each request's duration.
 */
import http from "node:http";
import type { Rng } from "./rng";
import type { Simulator } from "./simulator";

interface Profile {
  alias: string;
  limits: { max_parallel_requests?: number; rpm_limit?: number };
  team: string;
  clients: number;
  /** request duration range in seconds, as a function of the rate-limit window */
  durationS: (window: number) => [number, number];
  /** pause after a success / after a 429, in seconds */
  thinkS: [number, number];
  backoffS: [number, number];
  /** Share of the requests sent as an Anthropic client would, on /v1/messages; the rest go to /v1/chat/completions. */
  messagesShare?: number;
  note: string;
}

const PROFILES: Profile[] = [
  {
    alias: "demo-leaky",
    team: "research",
    limits: { max_parallel_requests: 5 },
    clients: 12,
    // Longer than the window, so in-flight requests survive each window roll (the #16011 overshoot).
    durationS: (w) => [Math.max(2, 0.3 * w), Math.max(4, 1.6 * w)],
    thinkS: [0, 0.5],
    backoffS: [3, 10],
    note: "12 bursty clients over a limit of 5, requests up to 1.6x the window",
  },
  {
    alias: "demo-healthy",
    team: "web",
    limits: { max_parallel_requests: 8 },
    clients: 3,
    durationS: () => [1, 5],
    thinkS: [0.5, 2],
    backoffS: [1, 2],
    note: "3 clients under a limit of 8",
  },
  {
    alias: "demo-unlimited",
    team: "web",
    limits: {},
    clients: 2,
    durationS: () => [0.5, 3],
    thinkS: [0.5, 2],
    backoffS: [1, 2],
    note: "no limits",
  },
  {
    alias: "demo-throttled",
    team: "batch",
    limits: { max_parallel_requests: 2, rpm_limit: 40 },
    clients: 6,
    durationS: () => [2, 6],
    thinkS: [0, 0.5],
    backoffS: [2, 6],
    note: "6 clients over a limit of 2 and 40 rpm: mostly 429s",
  },
];

/**
 * With --leak-metadata-routes only: a key that nothing overloads (2 clients, limit 3) but whose /v1/messages requests
 * each keep their slot (#27955): after three of them, some ten seconds in, it answers only 429s with nothing in
 * flight until the oldest slot expires (--slot-ttl), and then it fills up again.
 */
const STUCK_PROFILE: Profile = {
  alias: "demo-stuck",
  team: "agents",
  limits: { max_parallel_requests: 3 },
  clients: 2,
  durationS: () => [1, 3],
  thinkS: [1, 3],
  backoffS: [3, 8],
  messagesShare: 0.5,
  note: "2 clients under a limit of 3, half the requests on /v1/messages: each keeps its slot until --slot-ttl",
};

const between = (random: Rng, [lo, hi]: [number, number]) => lo + random() * (hi - lo);

export class Demo {
  private profiles: Profile[];
  private keys: { alias: string; key: string; hash: string; note: string }[] = [];
  private agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private stopped = false;
  private timers = new Set<NodeJS.Timeout>();
  private port = 0;

  constructor(private sim: Simulator) {
    this.profiles = sim.cfg.leakMetadataRoutes ? [...PROFILES, STUCK_PROFILE] : PROFILES;
    for (const p of this.profiles) {
      // With --data-dir a key stored by an earlier run is reused as stored (same hash, edits kept), not duplicated.
      const k = sim.keys.ensure({ key_alias: p.alias, team_id: p.team, ...p.limits, metadata: { allow_client_mock_response: true, demo: true } });
      this.keys.push({ alias: p.alias, ...k, note: p.note });
    }
  }

  keyList(): { alias: string; key: string; hash: string; note: string }[] {
    return this.keys;
  }

  start(port: number): void {
    this.port = port;
    for (const k of this.keys) console.log(`demo key ${k.alias.padEnd(15)} ${k.key}  (${k.note})`);
    this.profiles.forEach((p, i) => {
      for (let c = 0; c < p.clients; c++) {
        // Each client draws from its own stream of the run's seed: with --seed its durations and pauses
        // replay, however the clients' requests interleave.
        const random = this.sim.random(`demo:${p.alias}:${c}`);
        this.later(random() * 2, () => this.loop(p, this.keys[i].key, random));
      }
    });
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.agent.destroy();
  }

  private later(seconds: number, f: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      f();
    }, seconds * 1000);
    this.timers.add(t);
  }

  private loop(p: Profile, key: string, random: Rng): void {
    if (this.stopped) return;
    const delay = between(random, p.durationS(this.sim.cfg.window));
    // Drawn only for profiles that mix routes, so every other profile's stream of draws stays as it was.
    const onMessages = p.messagesShare !== undefined && random() < p.messagesShare;
    const body = JSON.stringify({
      model: onMessages ? "claude-3-5-sonnet" : "gpt-4o-mini",
      ...(onMessages ? { max_tokens: 256 } : {}),
      messages: [{ role: "user", content: `demo request from ${p.alias}` }],
      mock_response: "This is a demo response.",
      mock_delay: Number(delay.toFixed(3)),
    });
    const req = http.request(
      {
        host: "127.0.0.1",
        port: this.port,
        method: "POST",
        path: onMessages ? "/v1/messages" : "/v1/chat/completions",
        agent: this.agent,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => this.later(between(random, res.statusCode === 429 ? p.backoffS : p.thinkS), () => this.loop(p, key, random)));
      },
    );
    req.on("error", () => this.later(1, () => this.loop(p, key, random)));
    req.end(body);
  }
}
