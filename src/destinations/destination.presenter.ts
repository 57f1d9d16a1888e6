import type { Destination } from './destination.entity.js';
import type { DestinationObject } from './dto/destination.object.js';

/** The public shape: never the secret, sealed or not. */
export function presentDestination(d: Destination): DestinationObject {
  return {
    id: d.id,
    object: 'destination',
    livemode: d.livemode,
    description: d.description,
    bucket: d.bucket,
    region: d.region,
    endpoint: d.endpoint,
    force_path_style: d.forcePathStyle,
    prefix: d.prefix,
    access_key_id: d.accessKeyId,
    created_at: d.createdAt.toISOString(),
  };
}
