// The API as the pages use it: JSON in and out, the session cookie, the CSRF
// token on writes, and errors turned into plain Chinese (api errors keep the
// field they concern, so a form can show the message beside it).
import { t } from './i18n.js';

let csrf = sessionStorage.getItem('duban.csrf') || '';

export function csrfToken() { return csrf; }

export function setCsrf(token) {
  csrf = token || '';
  if (csrf) sessionStorage.setItem('duban.csrf', csrf);
  else sessionStorage.removeItem('duban.csrf');
}

const byCode = {
  unauthorized: '未登录或登录已失效，请重新登录',
  forbidden: '没有权限进行此操作',
  not_found: '找不到该记录（可能不存在，或不属于本单位）',
  conflict: '当前状态下不能进行此操作，页面可能已过期，请刷新后重试',
  invalid: '填写的内容有误',
  bad_request: '请求有误',
  malformed_json: '请求格式有误',
  throttled: '尝试次数过多，请稍后再试',
  disabled: '账号已停用，请联系安全管理员',
  password_change_required: '请先修改密码',
  too_large: '文件过大',
  body_too_large: '提交的内容过大',
  unavailable: '系统繁忙或数据库暂不可用，请稍后重试',
  storage_full: '存储空间已满或只读，本次内容未保存；查询不受影响，请稍后重试',
  busy: '系统繁忙，请稍后重试',
};

// Refusals whose reason a person needs (a date, a rule), read from the
// server's words; {1} is the first thing the pattern captures.
const byMessage = [
  [/promised (\d{4}-\d\d-\d\d)/, '答复承诺 {1} 前完成：期满并核实后才能销号'],
  [/only an unsatisfied 回访 may be contested/, '只有“不满意”的回访可以申诉'],
  [/has been contested already/, '已经申诉过，不能重复申诉'],
  [/is not a hot spot now/, '该问题现在已不属于热点'],
  [/made into case (\S+) in the last 7 days/, '该热点近7天已生成领导交办件 {1}'],
];

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || 'unknown';
    this.field = e.field || null;
    this.detail = e.message || '';
  }
  // What a person reads: the kind of problem in Chinese, and the server's
  // words (which name the value) when they add something.
  get chinese() {
    for (const [re, zh] of byMessage) {
      const m = re.exec(this.detail);
      if (m) return t(zh, { 1: m[1] });
    }
    let text = byCode[this.code] ? t(byCode[this.code]) : t('操作失败（{status}）', this);
    if (this.code === 'throttled') {
      const m = /(\d+) seconds/.exec(this.detail);
      if (m) text = t('尝试次数过多，请 {s} 秒后再试', { s: m[1] });
    }
    return text;
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// A spreadsheet sent as the request's body (the imports take the file as
// it is); the API's error carries its bad rows ({row, message}) in `rows`.
export async function upload(path, file) {
  const res = await fetch(`/api/v1${path}`, {
    method: 'POST',
    body: file,
    credentials: 'same-origin',
    headers: { 'X-CSRF-Token': csrf, 'Content-Type': file.type || 'application/octet-stream' },
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const e = new ApiError(res.status, data);
    e.rows = data?.rows || [];
    throw e;
  }
  return data;
}
