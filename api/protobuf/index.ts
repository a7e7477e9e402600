// Kubernetes' protobuf encoding of the served kinds: envelope, codec and schema.
export { decodeObject, decodeWatchFrames, encodeObject, encodeWatchFrame, hasProtobuf, ProtobufError, protobufMediaType, protobufWatchMediaType } from './envelope.js';
