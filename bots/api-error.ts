/** A failed API call, carrying a Chinese message fit to show a rider. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Place names the API offers when it cannot resolve one, like '沙坪坝区（重庆）'. */
  readonly suggestions: string[];
  /** The input field the service blamed ('lat', 'place', 'location'), when it named one. */
  readonly field: string | null;
  /** A place the service recognised as lying outside both cities ('北京'). */
  readonly outside: string | null;

  constructor(message: string, opts: { status: number; code: string; suggestions?: string[]; field?: string | null; outside?: string | null }) {
    super(message);
    this.name = 'ApiError';
    this.status = opts.status;
    this.code = opts.code;
    this.suggestions = opts.suggestions ?? [];
    this.field = opts.field ?? null;
    this.outside = opts.outside ?? null;
  }
}

export const UNAVAILABLE_MESSAGE = '服务暂时不可用，请稍后再试';

/** The bot has no BOT_TOKEN, so it cannot use the service's staff routes. */
export const NOT_CONFIGURED_MESSAGE = '机器人暂未开通工作人员绑定，请联系管理员';

/** The bot has no BOT_TOKEN, so it cannot open a session for the sender: only public searches work. */
export const NO_SESSIONS_MESSAGE = '机器人暂未接入服务账号，现在只能查驿站和商户，请联系管理员';
