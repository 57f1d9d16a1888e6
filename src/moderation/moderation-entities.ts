import { ModerationEvent } from './moderation-event.entity.js';
import { TenantModerationSettings } from './moderation-settings.entity.js';

export const moderationEntities = [ModerationEvent, TenantModerationSettings];
