/**
 * envoy.config.accesslog.v3.AccessLog with the stdout, stderr and file loggers → AccessLog views.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/accesslog/v3/accesslog.proto
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/access_loggers/stream/v3/stream.proto
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/access_loggers/file/v3/file.proto
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#default-format-string
 *
 * The logger is chosen by the typed_config type URL (the name is informational, as in Envoy).
 * The `filter` is kept as its ProtoObject for the access-log module to compile.
 */
import { Buffer } from 'node:buffer';
import type { ProtoObject } from '../proto-object.js';
import { FILE_ACCESS_LOG_TYPE_URL, STDERR_ACCESS_LOG_TYPE_URL, STDOUT_ACCESS_LOG_TYPE_URL } from '../type-urls.js';
import { fieldPath, has, isObject, obj, str, typeUrlOf, type Errors } from './fields.js';
import type { AccessLog, AccessLogFormat } from './listener.types.js';
import { rejectUnsupported } from './not-supported.js';

/** Envoy's default access log format, used when a logger gives none. */
export const DEFAULT_ACCESS_LOG_FORMAT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" ' +
  '%RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% ' +
  '%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" ' +
  '"%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"\n'; // Envoy default

const DEFAULT_FORMAT: AccessLogFormat = { kind: 'text', template: DEFAULT_ACCESS_LOG_FORMAT };

/** Decodes one AccessLog under `path` (e.g. `…typedConfig.accessLog[0]`). Returns null when unusable. */
export function decodeAccessLog(msg: ProtoObject, path: string, errors: Errors): AccessLog | null {
  const name = str(msg, 'name', path, errors);
  const filterMsg = obj(msg, 'filter', path, errors);
  const configPath = fieldPath(path, 'typed_config');
  const config = obj(msg, 'typed_config', path, errors);
  if (config === null) {
    errors.push({ path: configPath, message: 'is required' });
    return null;
  }
  const typeUrl = typeUrlOf(config);
  let sink: AccessLog['sink'];
  let format: AccessLogFormat;
  if (typeUrl === STDOUT_ACCESS_LOG_TYPE_URL || typeUrl === STDERR_ACCESS_LOG_TYPE_URL) {
    sink = { kind: typeUrl === STDOUT_ACCESS_LOG_TYPE_URL ? 'stdout' : 'stderr' };
    const logFormat = obj(config, 'log_format', configPath, errors);
    format = logFormat === null ? DEFAULT_FORMAT : decodeSubstitutionFormat(logFormat, fieldPath(configPath, 'log_format'), errors);
  } else if (typeUrl === FILE_ACCESS_LOG_TYPE_URL) {
    const path_ = str(config, 'path', configPath, errors);
    if (path_ === '') errors.push({ path: fieldPath(configPath, 'path'), message: 'is required' });
    sink = { kind: 'file', path: path_ };
    format = decodeFileFormat(config, configPath, errors);
  } else {
    errors.push({
      path: fieldPath(configPath, '@type'),
      message: `unsupported access logger ${JSON.stringify(typeUrl)}: use ${STDOUT_ACCESS_LOG_TYPE_URL}, ${STDERR_ACCESS_LOG_TYPE_URL} or ${FILE_ACCESS_LOG_TYPE_URL}`,
    });
    return null;
  }
  return { name, sink, format, filter: filterMsg };
}

/** FileAccessLog's access_log_format oneof: format (deprecated), json_format, log_format. */
function decodeFileFormat(config: ProtoObject, path: string, errors: Errors): AccessLogFormat {
  rejectUnsupported(config, path, ['typed_json_format'], errors, 'use logFormat.jsonFormat');
  if (has(config, 'format')) return { kind: 'text', template: str(config, 'format', path, errors) };
  if (has(config, 'json_format')) return jsonFormat(config, 'json_format', path, errors);
  const logFormat = obj(config, 'log_format', path, errors);
  return logFormat === null ? DEFAULT_FORMAT : decodeSubstitutionFormat(logFormat, fieldPath(path, 'log_format'), errors);
}

/** core.v3.SubstitutionFormatString: text_format, text_format_source.inline_string or json_format. */
function decodeSubstitutionFormat(msg: ProtoObject, path: string, errors: Errors): AccessLogFormat {
  rejectUnsupported(msg, path, ['omit_empty_values', 'formatters'], errors);
  // content_type only matters for local replies; json_format_options only orders keys: ignored.
  if (has(msg, 'text_format')) return { kind: 'text', template: str(msg, 'text_format', path, errors) };
  if (has(msg, 'json_format')) return jsonFormat(msg, 'json_format', path, errors);
  const source = obj(msg, 'text_format_source', path, errors);
  if (source !== null) {
    const sourcePath = fieldPath(path, 'text_format_source');
    if (has(source, 'inline_string')) return { kind: 'text', template: str(source, 'inline_string', sourcePath, errors) };
    if (Buffer.isBuffer(source.inline_bytes)) return { kind: 'text', template: source.inline_bytes.toString('utf8') };
    errors.push({ path: sourcePath, message: 'only inlineString or inlineBytes is supported' });
    return DEFAULT_FORMAT;
  }
  errors.push({ path, message: 'must set textFormat, textFormatSource or jsonFormat' });
  return DEFAULT_FORMAT;
}

function jsonFormat(msg: ProtoObject, field: string, path: string, errors: Errors): AccessLogFormat {
  const fields = msg[field];
  if (!isObject(fields)) {
    errors.push({ path: fieldPath(path, field), message: 'must be an object' });
    return DEFAULT_FORMAT;
  }
  return { kind: 'json', fields: fields as Readonly<Record<string, unknown>> };
}
