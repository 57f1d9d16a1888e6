import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsString, Matches, Max, Min, ValidateNested, registerDecorator, type ValidationArguments } from 'class-validator';
import { ASPECT_RATIOS, RESOLUTIONS } from '../../core/video-format.js';

const FRAME_SIZE_SCHEMA = {
  type: 'object' as const,
  additionalProperties: false,
  required: ['width', 'height'],
  properties: { width: { type: 'integer' as const, description: 'Pixels.' }, height: { type: 'integer' as const, description: 'Pixels.' } },
};
const SIZES_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: false,
  description: 'Frame size per `resolution` and `aspect_ratio`; a pair left out is not offered.',
  properties: Object.fromEntries(
    RESOLUTIONS.map((r) => [
      r,
      {
        type: 'object' as const,
        additionalProperties: false,
        description: `Frame size per aspect ratio at ${r}.`,
        properties: Object.fromEntries(ASPECT_RATIOS.map((a) => [a, { ...FRAME_SIZE_SCHEMA, description: `The frame at ${r}, ${a}.` }])),
      },
    ]),
  ),
  example: { '480p': { '16:9': { width: 832, height: 480 }, '9:16': { width: 480, height: 832 } } },
};

const evenSide = (n: unknown) => Number.isInteger(n) && (n as number) >= 16 && (n as number) <= 3840 && (n as number) % 2 === 0;

/** The size table: known resolutions and aspect ratios only, even sides (H.264 yuv420p), at least one size. */
function IsSizeTable() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isSizeTable',
      target: object.constructor,
      propertyName,
      options: { message: `must map ${RESOLUTIONS.join('/')} to ${ASPECT_RATIOS.join('/')} to {width, height} with even sides of 16–3840, at least one size` },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          let count = 0;
          for (const [resolution, byAspect] of Object.entries(value)) {
            if (!(RESOLUTIONS as readonly string[]).includes(resolution) || typeof byAspect !== 'object' || byAspect === null || Array.isArray(byAspect))
              return false;
            for (const [aspect, size] of Object.entries(byAspect as Record<string, unknown>)) {
              const s = size as { width?: unknown; height?: unknown } | null;
              if (
                !(ASPECT_RATIOS as readonly string[]).includes(aspect) ||
                typeof s !== 'object' ||
                s === null ||
                Object.keys(s).length !== 2 ||
                !evenSide(s.width) ||
                !evenSide(s.height)
              )
                return false;
              count++;
            }
          }
          return count > 0;
        },
      },
    });
}

/** `min` ≤ `max`, both counts the rule allows. */
function IsFrameRule() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isFrameRule',
      target: object.constructor,
      propertyName,
      options: { message: 'min and max must be counts of the form offset + step·k, with min ≤ max' },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const r = args.object as FrameRuleDto;
          const allowed = (n: number) => n >= r.offset && (n - r.offset) % r.step === 0;
          return typeof value === 'number' && r.step > 0 && r.min <= r.max && allowed(r.min) && allowed(r.max);
        },
      },
    });
}

export class FrameRuleDto {
  @ApiProperty({ example: 17, description: 'Fewest frames the model makes.' })
  @IsInt()
  @Min(1)
  @Max(10_000)
  @IsFrameRule()
  min: number;

  @ApiProperty({ example: 81, description: 'Most frames one clip of the model holds.' })
  @IsInt()
  @Min(1)
  @Max(10_000)
  max: number;

  @ApiProperty({ example: 4, description: 'Frame counts go up in steps of this.' })
  @IsInt()
  @Min(1)
  @Max(1_000)
  step: number;

  @ApiProperty({ example: 1, description: 'Frame counts are `offset` plus a multiple of `step` (4k+1 for Wan 2.2).' })
  @IsInt()
  @Min(0)
  @Max(1_000)
  offset: number;
}

export class HonoursDto {
  @ApiProperty({ example: true, description: 'Whether the model takes `seed` (same seed and inputs: the same video).' }) @IsBoolean() seed: boolean;
  @ApiProperty({ example: true, description: 'Whether the model takes `negative_prompt`; a model that does not refuses it with `unsupported_by_model`.' })
  @IsBoolean()
  negative_prompt: boolean;
  @ApiProperty({ example: false, description: 'Whether the model takes `camera`; a model that does not refuses it with `unsupported_by_model`.' })
  @IsBoolean()
  camera: boolean;
}

export class PutModelCapabilitiesDto {
  @ApiProperty({ example: 'acme/leoma-wan22-i2v', description: 'The model reference as the ranking names it.' })
  @IsString()
  @Matches(/^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}$/, { message: 'must be owner/name' })
  model: string;

  @ApiProperty(SIZES_SCHEMA)
  @IsObject()
  @IsSizeTable()
  sizes: Record<string, Record<string, { width: number; height: number }>>;

  @ApiProperty({ example: 16 })
  @IsInt()
  @Min(1)
  @Max(60)
  fps: number;

  @ApiProperty({ type: FrameRuleDto, description: 'Allowed frame counts: offset + step·k from min to max (Wan 2.2: 4k+1, 17–81).' })
  @ValidateNested()
  @Type(() => FrameRuleDto)
  frames: FrameRuleDto;

  @ApiProperty({ example: 2000 })
  @IsInt()
  @Min(1)
  @Max(2000)
  max_prompt_chars: number;

  @ApiProperty({ type: HonoursDto, description: 'Inputs the model follows; a request using one it does not is refused with unsupported_by_model.' })
  @ValidateNested()
  @Type(() => HonoursDto)
  honours: HonoursDto;
}

export class ModelCapabilitiesObject {
  @ApiProperty({ enum: ['model_capabilities'], description: "String naming the object's type: always `model_capabilities`." }) object: 'model_capabilities';
  @ApiProperty({ type: String, nullable: true, example: 'mcap_01jd3v8m7k2q9x4r5s6t7v8w9x', description: "The override's id; null for defaults from code." }) id:
    | string
    | null;
  @ApiProperty({ description: 'The model these capabilities describe.' }) model: string;
  @ApiProperty({ enum: ['override', 'default'], description: '`override`: set by an operator; `default`: the built-in defaults.' }) source: string;
  @ApiProperty(SIZES_SCHEMA) sizes: Record<string, Record<string, { width: number; height: number }>>;
  @ApiProperty({ description: 'Frames per second the model renders at.' }) fps: number;
  @ApiProperty({ type: FrameRuleDto, description: 'Which frame counts the model makes; durations are rounded up to one.' }) frames: FrameRuleDto;
  @ApiProperty({ description: 'Longest prompt the model takes, in characters.' }) max_prompt_chars: number;
  @ApiProperty({ type: HonoursDto, description: 'Which optional inputs the model uses.' }) honours: HonoursDto;
  @ApiProperty({
    example: 5,
    description:
      "The longest clip it renders in whole seconds: a longer `duration_seconds` is rendered as chained segments of at most this long (each its own GPU job from the last frame of the one before), up to the plan's `max_duration_seconds`; a storyboard's segments may each be at most this long.",
  })
  segment_seconds: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'string', enum: ['native', 'crop_or_pad'] } },
    example: { '480p': { '16:9': 'native', '9:16': 'native', '1:1': 'crop_or_pad', '4:5': 'crop_or_pad' } },
    description:
      'Per resolution it renders, how each aspect ratio is delivered: `native` (the model renders it), or `crop_or_pad` (rendered in its nearest native size, then cropped or padded in our post-production, as `fit` asks).',
  })
  aspect_ratios: Record<string, Record<string, 'native' | 'crop_or_pad'>>;
}

export class ModelCapabilitiesList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [ModelCapabilitiesObject] }) data: ModelCapabilitiesObject[];
  @ApiProperty() has_more: boolean;
}
