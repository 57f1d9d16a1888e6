import { ApiProperty } from '@nestjs/swagger';

/** An uploaded start-frame image, as the API shows it (see presentFile). */
export class FileObject {
  @ApiProperty({ example: 'file_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'Unique identifier of the file (`file_…`).' }) id: string;
  @ApiProperty({ enum: ['file'], example: 'file', description: "String naming the object's type: always `file`." }) object: 'file';
  @ApiProperty({ description: 'The mode of the key that uploaded it; keys of the other mode get 404 for it.', example: true }) livemode: boolean;
  @ApiProperty({
    enum: ['video_input', 'batch', 'image_archive', 'audio'],
    example: 'video_input',
    description:
      "`video_input`: a start-frame image for a video; `batch`: a JSONL or CSV batch input; `image_archive`: a ZIP of images a batch's rows name; `audio`: a sound track for a video's `audio_file` (MP3, AAC, M4A or WAV).",
  })
  purpose: string;
  @ApiProperty({ type: String, nullable: true, example: 'sneaker.png', description: 'The name it was uploaded under; null when none was sent.' }) filename:
    | string
    | null;
  @ApiProperty({ example: 'image/png', description: 'Media type detected from the bytes (not the one the client claimed).' }) content_type: string;
  @ApiProperty({ example: 48213, description: 'Size in bytes.' }) bytes: number;
  @ApiProperty({ type: Number, nullable: true, example: 1024, description: 'Image width in pixels; null for non-images and pending uploads.' }) width:
    | number
    | null;
  @ApiProperty({ type: Number, nullable: true, example: 576, description: 'Image height in pixels; null for non-images and pending uploads.' }) height:
    | number
    | null;
  @ApiProperty({
    description: 'SHA-256 of the bytes, hex.',
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    type: String,
    nullable: true,
  })
  sha256: string | null;
  @ApiProperty({
    enum: ['pending', 'ready'],
    example: 'ready',
    description: '`pending`: a presigned upload not completed yet (not usable; width, height and sha256 are null); `ready`: checked and usable.',
  })
  status: 'pending' | 'ready';
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null, description: "A pending upload's URL works until then." })
  upload_expires_at: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-22T12:00:00.000Z', description: 'When the file was created (ISO 8601, UTC).' }) created_at: string;
}
