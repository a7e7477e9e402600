// Content negotiation for Kubernetes' protobuf encoding (api/protobuf): protobuf request bodies
// become the same JSON objects the handlers already take.
import { decodeObject, ProtobufError } from '../../api/protobuf/index.js';
import { badRequest } from '../errors.js';

/** The JSON object of an `application/vnd.kubernetes.protobuf` body; 400 saying why when it is not one. */
export function decodeProtobufBody(body: Buffer): Record<string, unknown> {
  try {
    return decodeObject(body);
  } catch (err) {
    if (err instanceof ProtobufError) throw badRequest(`the request body is not a valid protobuf object: ${err.message}`);
    throw err;
  }
}
