import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { UPLOAD_CONTENT_TYPES, UPLOAD_PURPOSES } from '../presigned-uploads.service.js';
import { FileObject } from './file.object.js';

export class UploadSpecDto {
  @ApiPropertyOptional({ maxLength: 255, example: 'sku-1042.jpg', description: 'Kept on the file, e.g. the name the image has in your catalogue.' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  filename?: string;

  @ApiPropertyOptional({
    enum: UPLOAD_PURPOSES,
    default: 'video_input',
    example: 'video_input',
    description:
      '`video_input`: an image (`image/png`, `image/jpeg`, `image/webp`, at most IMAGE_MAX_BYTES). `audio`: a sound track for `audio_file` (`audio/mpeg`, `audio/aac`, `audio/mp4`, `audio/wav`, at most AUDIO_MAX_BYTES), checked on completion as a multipart upload with `purpose=audio` is: its type by its bytes, one audio stream ffprobe reads, at most AUDIO_MAX_SECONDS.',
  })
  @IsOptional()
  @IsIn(UPLOAD_PURPOSES)
  purpose?: (typeof UPLOAD_PURPOSES)[number];

  @ApiProperty({
    enum: UPLOAD_CONTENT_TYPES,
    example: 'image/jpeg',
    description: "Sent as the `Content-Type` of the PUT (it is signed into the URL); one of its `purpose`'s types.",
  })
  @IsIn(UPLOAD_CONTENT_TYPES)
  content_type: (typeof UPLOAD_CONTENT_TYPES)[number];

  @ApiProperty({ minimum: 1, example: 482113, description: 'The exact size of the file in bytes: the URL accepts a body of this length only.' })
  @IsInt()
  @Min(1)
  bytes: number;
}

export class CreateUploadsDto {
  @ApiProperty({
    type: [UploadSpecDto],
    minItems: 1,
    maxItems: 10_000,
    description: 'One entry per image or sound track (at most FILES_UPLOADS_PER_REQUEST, 1,000 by default).',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => UploadSpecDto)
  files: UploadSpecDto[];
}

export class UploadObject extends FileObject {
  @ApiProperty({
    format: 'uri',
    example: 'https://storage.example/leoma/files/ten_01jd/file_01jd?X-Amz-Expires=3600&X-Amz-Signature=3f1c9a',
    description: "Presigned URL to send the file's bytes to with `upload_method`, before `upload_expires_at`; then call `POST /v1/files/{id}/complete`.",
  })
  upload_url: string;

  @ApiProperty({ enum: ['PUT'], example: 'PUT', description: 'The HTTP method to use on `upload_url`.' }) upload_method: 'PUT';

  @ApiProperty({ example: { 'Content-Type': 'image/jpeg' }, description: 'Headers the PUT must carry (Content-Length is the declared `bytes`).' })
  upload_headers: Record<string, string>;
}

export class UploadList {
  @ApiProperty({ enum: ['list'], description: 'Always `list`.' }) object: 'list';
  @ApiProperty({ type: [UploadObject], description: 'This page of files, newest first.' }) data: UploadObject[];
}
