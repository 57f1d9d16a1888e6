import { ApiProperty } from '@nestjs/swagger';

export class DestinationObject {
  @ApiProperty({ example: 'dst_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'The destination id (`dst_…`); name it as `destination` on a video or batch.' })
  id: string;
  @ApiProperty({ enum: ['destination'], description: "String naming the object's type: always `destination`." }) object: 'destination';
  @ApiProperty({ description: "The mode of the key that created it: only that mode's videos and batches may name it." }) livemode: boolean;
  @ApiProperty({ description: 'Your own note about the destination (empty when none was given).' }) description: string;
  @ApiProperty({ description: 'The bucket the files are written to.' }) bucket: string;
  @ApiProperty({ description: "The bucket's region." }) region: string;
  @ApiProperty({ type: String, nullable: true, description: 'The S3-compatible store; null for AWS S3.' }) endpoint: string | null;
  @ApiProperty({ description: 'Whether requests address the bucket in the path (true) or as a host name (false).' }) force_path_style: boolean;
  @ApiProperty({ description: 'Prepended to every object key written (empty: none).' }) prefix: string;
  @ApiProperty({ description: 'The access key id; the secret is never returned.' }) access_key_id: string;
  @ApiProperty({ format: 'date-time', description: 'When the destination was created.' }) created_at: string;
}

export class DestinationList {
  @ApiProperty({ enum: ['list'], description: "String naming the object's type: always `list`." }) object: 'list';
  @ApiProperty({ type: [DestinationObject], description: 'The destinations of this mode.' }) data: DestinationObject[];
  @ApiProperty({ description: 'Whether more destinations follow this page.' }) has_more: boolean;
}

export class DeletedDestination {
  @ApiProperty({ description: 'The id of the deleted destination.' }) id: string;
  @ApiProperty({ enum: ['destination'], description: "String naming the object's type: always `destination`." }) object: 'destination';
  @ApiProperty({ enum: [true], description: 'Always true.' }) deleted: true;
}

export class DestinationTestObject {
  @ApiProperty({ enum: ['destination_test'], description: "String naming the object's type: always `destination_test`." }) object: 'destination_test';
  @ApiProperty({ description: 'The destination that was tested.' }) destination_id: string;
  @ApiProperty({ enum: ['ok'], description: 'A failed test is a 422 `destination_unreachable` or `destination_denied` instead.' }) result: 'ok';
}

/** Where a video's files are copied, and how far that got. */
export class VideoDeliveryObject {
  @ApiProperty({ example: 'dst_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'The destination the files are copied to.' }) destination: string;
  @ApiProperty({
    enum: ['pending', 'delivered', 'failed'],
    description:
      '`pending` until every file is copied (retried with backoff), then `delivered`; `failed` once the attempts ran out (redeliver with `POST /v1/videos/{id}/redeliver`).',
  })
  status: 'pending' | 'delivered' | 'failed';
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'leoma/catalogue/SKU-123.mp4',
    description:
      "The main file's key in the bucket; the raw render, extra ratios, poster and thumbnail sit beside it (`.raw.mp4`, `.1.mp4`, `.jpg`, `.webp`). Null until the video succeeds.",
  })
  key: string | null;
  @ApiProperty({ description: 'Copy attempts made so far.' }) attempts: number;
  @ApiProperty({ type: String, nullable: true, description: "The store's answer to the last failed attempt." }) last_error: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the last file was copied; null until delivered.' }) delivered_at:
    | string
    | null;
}
