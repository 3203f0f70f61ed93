/** The OpenAPI description of the tus routes (tus.ts): headers, 201/204 answers, no bodies. */
import { BINARY, type RouteDoc } from '../lib/openapi-registry.ts';
import { MAX_UPLOAD_BYTES } from '../uploads/limits.ts';
import { TUS_CONTENT_TYPE } from '../uploads/tus-protocol.ts';
import { UploadData } from './uploads.ts';

const tusErrors =
  'Errors: 412 without Tus-Resumable: 1.0.0; 1001 no or bad token; 1002 session not found; 404 unknown upload.';

const resumable = { name: 'Tus-Resumable', required: true, description: 'Always 1.0.0', schema: { const: '1.0.0' } };
const offset = (description: string, required = true) => ({
  name: 'Upload-Offset',
  required,
  description,
  schema: { type: 'integer', minimum: 0 },
});
const mediaId = { name: 'Upload-Media-Id', description: 'The media id, once the last byte is stored' };
const tags = ['media'];

export const tusDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/upload-video/nemo_agent/me/{sid}/tus',
    operationId: 'tusCreate',
    summary: `tus 1.0.0 creation (docs/api.md, "Resumable uploads"). ${tusErrors} 400 without Upload-Length; 4002 over ${MAX_UPLOAD_BYTES} bytes (data.max_bytes); 4001 empty; 429 too many unfinished uploads.`,
    auth: true,
    headers: [
      resumable,
      { name: 'Upload-Length', required: true, description: 'File size in bytes', schema: { type: 'integer' } },
      { name: 'Upload-Metadata', description: 'filename and filetype, each as "key base64value", comma-separated' },
    ],
    status: 201,
    empty: true,
    responseHeaders: [
      { name: 'Location', required: true, description: 'The upload URL, absolute' },
      offset('Always 0'),
      resumable,
    ],
    tags,
  },
  {
    method: 'patch',
    path: '/api/upload-video/nemo_agent/me/{sid}/tus/{upload_id}',
    operationId: 'tusPatch',
    summary: `tus 1.0.0 PATCH: the next bytes from the stored offset. ${tusErrors} 409 offset mismatch or another PATCH in progress (data.upload_offset); 415 other content type; 4001 content not accepted, truncated or unreadable (the upload is removed).`,
    auth: true,
    headers: [resumable, offset('The offset the server has stored (HEAD says it)')],
    bodies: { [TUS_CONTENT_TYPE]: { ...BINARY, description: 'the next bytes of the file' } },
    status: 204,
    empty: true,
    responseHeaders: [offset('Bytes stored now'), mediaId, resumable],
    tags,
  },
  {
    method: 'post',
    path: '/api/upload-video/nemo_agent/me/{sid}/tus/{upload_id}',
    operationId: 'tusMethodOverride',
    summary: `PATCH or DELETE for clients behind proxies that drop them (tus-js-client's overridePatchMethod). ${tusErrors}`,
    auth: true,
    headers: [
      resumable,
      {
        name: 'X-HTTP-Method-Override',
        required: true,
        description: 'PATCH or DELETE',
        schema: { enum: ['PATCH', 'DELETE'] },
      },
      offset('With PATCH: the stored offset', false),
    ],
    bodies: { [TUS_CONTENT_TYPE]: { ...BINARY, description: 'With PATCH: the next bytes of the file' } },
    status: 204,
    empty: true,
    responseHeaders: [offset('Bytes stored now (PATCH)', false), mediaId, resumable],
    tags,
  },
  {
    method: 'head',
    path: '/api/upload-video/nemo_agent/me/{sid}/tus/{upload_id}',
    operationId: 'tusHead',
    summary: `tus 1.0.0 offset: where to resume. ${tusErrors}`,
    auth: true,
    headers: [resumable],
    empty: true,
    responseHeaders: [
      offset('Bytes stored'),
      { name: 'Upload-Length', required: true, description: 'File size', schema: { type: 'integer' } },
      { name: 'Upload-Metadata', description: "The creation's metadata, as sent" },
      mediaId,
      resumable,
    ],
    tags,
  },
  {
    method: 'get',
    path: '/api/upload-video/nemo_agent/me/{sid}/tus/{upload_id}',
    operationId: 'tusGetMedia',
    summary: `The upload's media once complete (empty list before), with the HEAD headers. ${tusErrors}`,
    auth: true,
    data: UploadData,
    tags,
  },
  {
    method: 'delete',
    path: '/api/upload-video/nemo_agent/me/{sid}/tus/{upload_id}',
    operationId: 'tusTerminate',
    summary: `tus 1.0.0 termination: aborts the upload and removes what it stored. ${tusErrors}`,
    auth: true,
    headers: [resumable],
    status: 204,
    empty: true,
    responseHeaders: [resumable],
    tags,
  },
  {
    method: 'options',
    path: '/api/upload-video/nemo_agent/me/{sid}/tus',
    operationId: 'tusOptions',
    summary: 'tus 1.0.0 discovery. No auth.',
    status: 204,
    empty: true,
    responseHeaders: [
      { name: 'Tus-Version', required: true, description: '1.0.0' },
      { name: 'Tus-Extension', required: true, description: 'creation,termination' },
      { name: 'Tus-Max-Size', required: true, description: String(MAX_UPLOAD_BYTES), schema: { type: 'integer' } },
    ],
    tags,
  },
];
