/**
 * The one logger: every process (API, workers, indexer, npm start) logs through pino with the same fields
 * (time, level, name, pid, hostname, msg and the record's own). LOG_FORMAT=json writes pino's JSON lines for
 * machines; the default, `pretty`, one readable line per record: `12:04:05.123 INFO  [api] msg key=value`.
 */
import { pino, type DestinationStream, type Logger } from "pino";
import { ConfigError, loadConfig, type Config } from "./config.js";

export type { Logger };

const LABELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };
/** Fields every record has, printed in the line's head (or not at all) rather than as key=value. */
const HEAD = new Set(["level", "time", "name", "msg", "pid", "hostname", "err"]);

/** A process's logger, named `name` unless LOG_NAME names it (npm start names each child as it labels it). */
export function createLogger(config: Pick<Config, "logLevel" | "logFormat" | "logName">, name: string): Logger {
  const options = { name: config.logName ?? name, level: config.logLevel };
  return config.logFormat === "json" ? pino(options) : pino(options, prettyDestination());
}

/** The config, or, when it is invalid, every problem logged (at `fatal`, readable) and exit 1: the entries' first line. */
export function loadConfigOrExit(name: string): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    pino({ name }, prettyDestination()).fatal(error.message);
    process.exit(1);
  }
}

const scalar = (value: unknown): string => {
  if (typeof value === "string") return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
};

/** `key=value` pairs, nested objects (Fastify's req and res) flattened one level: `req.method=GET`. */
function pairs(record: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (HEAD.has(key) || value === undefined) continue;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const [inner, v] of Object.entries(value)) if (v !== undefined) out.push(`${key}.${inner}=${scalar(v)}`);
    } else {
      out.push(`${key}=${scalar(value)}`);
    }
  }
  return out;
}

/** One pino JSON record as a readable line; an error's stack follows on its own lines. */
export function formatRecord(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = new Date(Number(record.time)).toTimeString().slice(0, 8) + `.${String(Number(record.time) % 1000).padStart(3, "0")}`;
  const level = (LABELS[Number(record.level)] ?? String(record.level)).padEnd(5);
  const name = record.name === undefined ? "" : ` [${String(record.name)}]`;
  const msg = record.msg === undefined ? "" : ` ${String(record.msg)}`;
  const rest = pairs(record);
  const err = record.err as { message?: string; stack?: string } | undefined;
  const errText = err ? ` err=${scalar(err.message)}` : "";
  const stack = err?.stack ? `\n    ${err.stack.split("\n").slice(1).map((l) => l.trim()).join("\n    ")}` : "";
  return `${time} ${level}${name}${msg}${rest.length > 0 ? ` ${rest.join(" ")}` : ""}${errText}${stack}\n`;
}

/** A pino destination writing `formatRecord`'s lines to stdout, synchronously: pino-pretty's job, in-process. */
function prettyDestination(): DestinationStream {
  return { write: (line: string) => void process.stdout.write(formatRecord(line)) };
}

/**
 * The console-style log the queue workers take (`log.error("message", error)`), writing to `logger`: the
 * error becomes the record's `err`, other arguments its `args`.
 */
export function consoleStyle(logger: Logger): Pick<Console, "info" | "warn" | "error"> {
  const method = (level: "info" | "warn" | "error") => (message?: unknown, ...args: unknown[]) => {
    const err = args.find((a) => a instanceof Error);
    const rest = args.filter((a) => a !== err);
    logger[level]({ ...(err ? { err } : {}), ...(rest.length > 0 ? { args: rest } : {}) }, String(message));
  };
  return { info: method("info"), warn: method("warn"), error: method("error") };
}
