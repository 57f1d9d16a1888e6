import { ApiProperty } from '@nestjs/swagger';

export class DestinationObject {
  @ApiProperty({ example: 'dst_01jd3v8m7k2q9x4r5s6t7v8w9x' }) id: string;
  @ApiProperty({ enum: ['destination'] }) object: 'destination';
  @ApiProperty({ description: "The mode of the key that created it: only that mode's videos and batches may name it." }) livemode: boolean;
  @ApiProperty() description: string;
  @ApiProperty() bucket: string;
  @ApiProperty() region: string;
  @ApiProperty({ type: String, nullable: true, description: 'The S3-compatible store; null for AWS S3.' }) endpoint: string | null;
  @ApiProperty() force_path_style: boolean;
  @ApiProperty() prefix: string;
  @ApiProperty({ description: 'The access key id; the secret is never returned.' }) access_key_id: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class DestinationList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [DestinationObject] }) data: DestinationObject[];
  @ApiProperty() has_more: boolean;
}

export class DeletedDestination {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['destination'] }) object: 'destination';
  @ApiProperty({ enum: [true] }) deleted: true;
}

export class DestinationTestObject {
  @ApiProperty({ enum: ['destination_test'] }) object: 'destination_test';
  @ApiProperty() destination_id: string;
  @ApiProperty({ enum: ['ok'], description: 'A failed test is a 422 `destination_unreachable` or `destination_denied` instead.' }) result: 'ok';
}

/** Where a video's files are copied, and how far that got. */
export class VideoDeliveryObject {
  @ApiProperty({ example: 'dst_01jd3v8m7k2q9x4r5s6t7v8w9x' }) destination: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status: 'pending' | 'delivered' | 'failed';
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
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) delivered_at: string | null;
}
