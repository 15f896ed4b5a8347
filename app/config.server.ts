import { z } from "zod";

const booleanFlag = z
  .enum(["true", "false", "1", "0"])
  .optional()
  .transform((value) => value === "true" || value === "1");

const optionalUrl = z.url().optional();

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Every variable the app reads. `.env.example` documents each one; keep the two in step. */
const environmentSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Default: warn in production and tests, info in development (see withLogLevel). */
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SHOPIFY_API_KEY: z.string().min(1, "the app's client id from the Partner Dashboard"),
  SHOPIFY_API_SECRET: z.string().min(1, "the app's client secret from the Partner Dashboard"),
  SHOPIFY_APP_URL: z.url("the public https URL Shopify reaches the app on"),
  SCOPES: z.string().min(1).default("read_products,read_orders,read_customers,read_themes,read_legal_policies"),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection string")
    .optional(),
  /** Connections this instance opens for requests (Prisma and raw SQL share them); pg-boss and the engine add their own few. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  EMBEDDED_POSTGRES_DIR: z.string().default(".data/postgres"),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, "must be 32 random bytes in base64 (openssl rand -base64 32)"),
  KLAVIYO_API_URL: z.url().default("https://a.klaviyo.com"),
  KLAVIYO_OAUTH_AUTHORIZE_URL: z.url().default("https://www.klaviyo.com/oauth/authorize"),
  KLAVIYO_CLIENT_ID: z.string().optional(),
  KLAVIYO_CLIENT_SECRET: z.string().optional(),
  KLAVIYO_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Rewrites Admin API calls to this origin: the local fake Shopify in the demo and tests. */
  SHOPIFY_ADMIN_API_ORIGIN: optionalUrl,
  WORKERS: z.enum(["on", "off"]).default("on"),
  /** Bearer token a Prometheus scraper presents at /metrics; unset, the endpoint does not exist. */
  METRICS_TOKEN: z.string().min(16, "at least 16 characters (openssl rand -hex 32)").optional(),
  /**
   * On SIGTERM, /readyz answers 503 for this long while requests are still served, so a load balancer stops sending
   * before the listener closes: set it to its health-check interval times its unhealthy threshold.
   */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  /** Days an event Klaviyo accepted stays in the outbox (the delivery log) before the daily retention job deletes it. */
  KLAVIYO_OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Defaults for every shop's LLM brain (a shop's own settings win); all three set switches shops to the LLM brain. */
  AGENT_LLM_BASE_URL: optionalUrl,
  AGENT_LLM_MODEL: z.string().min(1).optional(),
  AGENT_LLM_API_KEY: z.string().min(1).optional(),
  AGENT_LLM_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(15_000),
  /** Tokens one conversation may spend on the LLM before the built-in brain answers the rest. */
  AGENT_LLM_TOKEN_BUDGET: z.coerce.number().int().min(1000).default(30_000),
  /** Quiet time after a successful answer before the agent counts the conversation resolved. */
  AGENT_QUIET_RESOLUTION_MINUTES: z.coerce.number().int().min(1).max(10_080).default(30),
  /** Twilio's REST API base (SMS and WhatsApp replies); the local fake in tests and the demo. */
  TWILIO_API_URL: z.url().default("https://api.twilio.com"),
  /** Per request towards Twilio; a slower answer counts as a temporary failure and the reply is retried. */
  TWILIO_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  DEMO_MODE: booleanFlag,
});

/**
 * Production and test runs log warnings and errors only: a line per request costs a busy instance real time (issue 7
 * measured 8 % of a chat request in synchronous log writes). Development shows what happens.
 */
function withLogLevel<T extends { NODE_ENV: string; LOG_LEVEL?: LogLevel | undefined }>(settings: T): T & { LOG_LEVEL: LogLevel } {
  return { ...settings, LOG_LEVEL: settings.LOG_LEVEL ?? (settings.NODE_ENV === "development" ? "info" : "warn") };
}

const configSchema = environmentSchema.transform(withLogLevel);
/** The logger's part alone: it can be needed before the rest of the environment is complete (see logLevel). */
const loggingSchema = environmentSchema.pick({ NODE_ENV: true, LOG_LEVEL: true }).transform(withLogLevel);

export type AppConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** A blank line copied from .env.example means "not set", not "set to nothing". */
function presentVariables(environment: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== ""));
}

export function parseConfig(environment: Record<string, string | undefined>): AppConfig {
  const present = presentVariables(environment);
  const result = configSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const variable = issue.path.join(".");
      const missing = issue.code === "invalid_type" && present[variable] === undefined;
      return `  ${variable}: ${missing ? "is not set" : issue.message}`;
    });
    throw new ConfigError(`Invalid environment (see .env.example):\n${problems.join("\n")}`);
  }
  const config = result.data;
  if (Boolean(config.KLAVIYO_CLIENT_ID) !== Boolean(config.KLAVIYO_CLIENT_SECRET)) {
    throw new ConfigError(
      "Invalid environment (see .env.example):\n  KLAVIYO_CLIENT_SECRET: KLAVIYO_CLIENT_ID and KLAVIYO_CLIENT_SECRET go together",
    );
  }
  if (config.DEMO_MODE && !isLoopbackOrigin(config.SHOPIFY_ADMIN_API_ORIGIN)) {
    throw new ConfigError(
      "Invalid environment (see .env.example):\n  DEMO_MODE: the demo routes mint admin sessions for any shop, so they run only against a local fake Shopify: SHOPIFY_ADMIN_API_ORIGIN must be a loopback origin (localhost, 127.0.0.1, [::1])",
    );
  }
  return config;
}

/** Whatever NODE_ENV says: a loopback origin cannot be a real shop's Admin API. */
function isLoopbackOrigin(origin: string | undefined): boolean {
  if (!origin) return false;
  const host = new URL(origin).hostname;
  return host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The level LOG_LEVEL and NODE_ENV ask for, read without the rest of the config: the demo and the tests complete the
 * environment while they start, and config() caches what it first reads. A bad value is reported by parseConfig at
 * start-up; until then the logger shows everything from info up.
 */
export function logLevel(environment: Record<string, string | undefined>): LogLevel {
  const result = loggingSchema.safeParse(presentVariables(environment));
  return result.success ? result.data.LOG_LEVEL : "info";
}

let loaded: AppConfig | undefined;

/** The validated configuration, read once; start-up calls this first so a bad environment fails before serving. */
export function config(): AppConfig {
  loaded ??= parseConfig(process.env);
  return loaded;
}
