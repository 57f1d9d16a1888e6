"""Types of the Leoma API's objects, generated from openapi/public.json by gen_types.py: do not edit."""
from typing import Any, Dict, List, Literal, Optional, TypedDict

API_VERSION = '2026-12-01'
"""The API version these types describe; the client sends it as Leoma-Version unless told otherwise."""


ApiKeyObject = TypedDict(
    'ApiKeyObject',
    {
        'id': str,
        'object': Literal['api_key'],
        'tenant_id': str,
        'name': str,
        'mode': Literal['live', 'test'],
        'secret_start': str,
        'scopes': List[Literal['videos:read', 'videos:write', 'files:write', 'batches:write', 'webhooks:manage', 'billing:read', 'billing:write', 'keys:manage', 'members:manage']],
        'rate_limit_per_minute': Optional[float],
        'monthly_video_seconds': Optional[float],
        'api_version': Literal['2026-06-01', '2026-12-01'],
        'expires_at': Optional[str],
        'revoked_at': Optional[str],
        'last_used_at': Optional[str],
        'created_by': Optional[str],
        'created_at': str,
    },
    total=False,
)

ApiKeyList = TypedDict(
    'ApiKeyList',
    {
        'object': Literal['list'],
        'data': List['ApiKeyObject'],
        'has_more': bool,
    },
    total=False,
)

CreateApiKeyDto = TypedDict(
    'CreateApiKeyDto',
    {
        'mode': Literal['live', 'test'],
        'name': str,
        'scopes': List[Literal['videos:read', 'videos:write', 'files:write', 'batches:write', 'webhooks:manage', 'billing:read', 'billing:write', 'keys:manage', 'members:manage']],
        'expires_at': str,
        'rate_limit_per_minute': float,
        'monthly_video_seconds': float,
        'api_version': Literal['2026-06-01', '2026-12-01'],
    },
    total=False,
)

ApiKeyWithSecret = TypedDict(
    'ApiKeyWithSecret',
    {
        'id': str,
        'object': Literal['api_key'],
        'tenant_id': str,
        'name': str,
        'mode': Literal['live', 'test'],
        'secret_start': str,
        'scopes': List[Literal['videos:read', 'videos:write', 'files:write', 'batches:write', 'webhooks:manage', 'billing:read', 'billing:write', 'keys:manage', 'members:manage']],
        'rate_limit_per_minute': Optional[float],
        'monthly_video_seconds': Optional[float],
        'api_version': Literal['2026-06-01', '2026-12-01'],
        'expires_at': Optional[str],
        'revoked_at': Optional[str],
        'last_used_at': Optional[str],
        'created_by': Optional[str],
        'created_at': str,
        'secret': Optional[str],
    },
    total=False,
)

RollApiKeyDto = TypedDict(
    'RollApiKeyDto',
    {
        'grace_seconds': float,
    },
    total=False,
)

AuditRef = TypedDict(
    'AuditRef',
    {
        'type': str,
        'id': str,
    },
    total=False,
)

AuditEntryObject = TypedDict(
    'AuditEntryObject',
    {
        'id': str,
        'object': Literal['audit_entry'],
        'tenant_id': Optional[str],
        'seq': float,
        'actor': 'AuditRef',
        'action': str,
        'target': 'AuditRef',
        'before': Optional[Dict[str, Any]],
        'after': Optional[Dict[str, Any]],
        'request_id': Optional[str],
        'prev_hash': str,
        'hash': str,
        'created_at': str,
    },
    total=False,
)

AuditEntryList = TypedDict(
    'AuditEntryList',
    {
        'object': Literal['list'],
        'data': List['AuditEntryObject'],
        'has_more': bool,
    },
    total=False,
)

LimitsObject = TypedDict(
    'LimitsObject',
    {
        'included_video_seconds': float,
        'overage_allowed': bool,
        'requests_per_minute': float,
        'concurrent_videos': float,
        'max_duration_seconds': float,
        'max_resolution': Literal['480p', '720p'],
        'max_batch_size': float,
        'retention_days': float,
        'queue_priority': float,
        'uploads_per_day': float,
        'uploads_per_month': float,
        'max_queue_seconds': float,
        'max_queued_videos': float,
        'batch_complete_seconds': float,
    },
    total=False,
)

FileObject = TypedDict(
    'FileObject',
    {
        'id': str,
        'object': Literal['file'],
        'livemode': bool,
        'purpose': Literal['video_input', 'batch', 'image_archive', 'audio'],
        'filename': Optional[str],
        'content_type': str,
        'bytes': float,
        'width': Optional[float],
        'height': Optional[float],
        'sha256': Optional[str],
        'status': Literal['pending', 'ready'],
        'upload_expires_at': Optional[str],
        'created_at': str,
    },
    total=False,
)

UploadSpecDto = TypedDict(
    'UploadSpecDto',
    {
        'filename': str,
        'purpose': Literal['video_input', 'audio'],
        'content_type': Literal['image/png', 'image/jpeg', 'image/webp', 'audio/mpeg', 'audio/aac', 'audio/mp4', 'audio/wav'],
        'bytes': float,
    },
    total=False,
)

CreateUploadsDto = TypedDict(
    'CreateUploadsDto',
    {
        'files': List['UploadSpecDto'],
    },
    total=False,
)

UploadObject = TypedDict(
    'UploadObject',
    {
        'id': str,
        'object': Literal['file'],
        'livemode': bool,
        'purpose': Literal['video_input', 'batch', 'image_archive', 'audio'],
        'filename': Optional[str],
        'content_type': str,
        'bytes': float,
        'width': Optional[float],
        'height': Optional[float],
        'sha256': Optional[str],
        'status': Literal['pending', 'ready'],
        'upload_expires_at': Optional[str],
        'created_at': str,
        'upload_url': str,
        'upload_method': Literal['PUT'],
        'upload_headers': Dict[str, Any],
    },
    total=False,
)

UploadList = TypedDict(
    'UploadList',
    {
        'object': Literal['list'],
        'data': List['UploadObject'],
    },
    total=False,
)

VideoInputObject = TypedDict(
    'VideoInputObject',
    {
        'source': Literal['url', 'data_uri', 'file', 'upload'],
        'url': str,
        'file_id': str,
        'content_type': str,
        'width': float,
        'height': float,
        'bytes': float,
    },
    total=False,
)

FocusPointObject = TypedDict(
    'FocusPointObject',
    {
        'x': float,
        'y': float,
    },
    total=False,
)

VideoStepObject = TypedDict(
    'VideoStepObject',
    {
        'name': Literal['stitch', 'crop', 'pad', 'interpolate', 'upscale', 'audio'],
        'segments': float,
        'transition': Literal['cut', 'crossfade'],
        'crossfade_seconds': float,
        'aspect_ratio': str,
        'focus': 'FocusPointObject',
        'fill': Literal['blur'],
        'method': str,
        'fps': float,
        'frames': float,
        'source': Literal['silent', 'file', 'url'],
        'file_id': str,
        'url': str,
        'fade_seconds': float,
        'loudness_lufs': float,
        'width': float,
        'height': float,
    },
    total=False,
)

ExtraOutputObject = TypedDict(
    'ExtraOutputObject',
    {
        'aspect_ratio': str,
        'url': str,
        'width': float,
        'height': float,
        'bytes': float,
        'sha256': str,
        'steps': List['VideoStepObject'],
    },
    total=False,
)

VideoOutputObject = TypedDict(
    'VideoOutputObject',
    {
        'url': str,
        'expires_at': str,
        'duration_seconds': float,
        'width': float,
        'height': float,
        'fps': float,
        'bytes': float,
        'sha256': str,
        'poster_url': Optional[str],
        'thumbnail_url': Optional[str],
        'raw_url': Optional[str],
        'steps': List['VideoStepObject'],
        'outputs': List['ExtraOutputObject'],
    },
    total=False,
)

VideoSegmentObject = TypedDict(
    'VideoSegmentObject',
    {
        'index': float,
        'prompt': str,
        'duration_seconds': float,
        'frames': float,
        'status': Literal['queued', 'running', 'succeeded', 'failed'],
        'url': Optional[str],
        'backend_id': Optional[str],
        'amount': Optional[float],
        'completed_at': Optional[str],
    },
    total=False,
)

AttestedModelObject = TypedDict(
    'AttestedModelObject',
    {
        'repo': str,
        'digest': str,
    },
    total=False,
)

VideoProvenanceObject = TypedDict(
    'VideoProvenanceObject',
    {
        'model': str,
        'model_revision': Optional[str],
        'miner_hotkey': Optional[str],
        'miner_uid': Optional[float],
        'ranking_block': Optional[float],
        'backend_id': str,
        'attested_model': Optional['AttestedModelObject'],
        'model_rule': Literal['winner', 'pin'],
        'steps': List['VideoStepObject'],
    },
    total=False,
)

VideoErrorObject = TypedDict(
    'VideoErrorObject',
    {
        'code': str,
        'message': str,
    },
    total=False,
)

VideoCostObject = TypedDict(
    'VideoCostObject',
    {
        'amount': float,
        'currency': str,
        'included_seconds_used': float,
        'overage_seconds': float,
        'credits_applied': float,
        'post_production_seconds': float,
    },
    total=False,
)

VideoDeliveryObject = TypedDict(
    'VideoDeliveryObject',
    {
        'destination': str,
        'status': Literal['pending', 'delivered', 'failed'],
        'key': Optional[str],
        'attempts': float,
        'last_error': Optional[str],
        'delivered_at': Optional[str],
    },
    total=False,
)

VideoObject = TypedDict(
    'VideoObject',
    {
        'id': str,
        'object': Literal['video'],
        'status': Literal['queued', 'running', 'succeeded', 'failed', 'canceled', 'expired'],
        'livemode': bool,
        'prompt': str,
        'duration_seconds': float,
        'resolution': str,
        'aspect_ratio': str,
        'width': float,
        'height': float,
        'fps': float,
        'frames': float,
        'negative_prompt': Optional[str],
        'seed': Optional[float],
        'camera': Optional[str],
        'metadata': Dict[str, str],
        'input': 'VideoInputObject',
        'output': Optional['VideoOutputObject'],
        'segments': Optional[List['VideoSegmentObject']],
        'model': str,
        'provenance': Optional['VideoProvenanceObject'],
        'error': Optional['VideoErrorObject'],
        'cost': Optional['VideoCostObject'],
        'webhook_url': Optional[str],
        'delivery': Optional['VideoDeliveryObject'],
        'batch_id': Optional[str],
        'custom_id': Optional[str],
        'group_id': Optional[str],
        'start_by': Optional[str],
        'queue_position': Optional[float],
        'estimated_start_at': Optional[str],
        'created_at': str,
        'started_at': Optional[str],
        'completed_at': Optional[str],
        'output_expired_at': Optional[str],
    },
    total=False,
)

VideoGroupObject = TypedDict(
    'VideoGroupObject',
    {
        'object': Literal['video_group'],
        'id': str,
        'n': float,
        'data': List['VideoObject'],
    },
    total=False,
)

FocusPointDto = TypedDict(
    'FocusPointDto',
    {
        'x': float,
        'y': float,
    },
    total=False,
)

VideoOutputDto = TypedDict(
    'VideoOutputDto',
    {
        'aspect_ratio': Literal['16:9', '9:16', '1:1', '4:5'],
        'fit': Literal['crop', 'pad'],
        'focus': 'FocusPointDto',
    },
    total=False,
)

VideoSegmentDto = TypedDict(
    'VideoSegmentDto',
    {
        'prompt': str,
        'duration_seconds': float,
    },
    total=False,
)

CreateVideoDto = TypedDict(
    'CreateVideoDto',
    {
        'prompt': str,
        'image': str,
        'negative_prompt': str,
        'duration_seconds': float,
        'outputs': List['VideoOutputDto'],
        'segments': List['VideoSegmentDto'],
        'transition': Literal['cut', 'crossfade'],
        'resolution': Literal['480p', '720p', '1080p'],
        'fps': Literal[24, 30],
        'aspect_ratio': Literal['16:9', '9:16', '1:1', '4:5'],
        'fit': Literal['crop', 'pad'],
        'focus': 'FocusPointDto',
        'n': float,
        'audio': Literal['none', 'silent'],
        'audio_file': str,
        'seed': float,
        'camera': Literal['static', 'zoom_in', 'zoom_out', 'pan_left', 'pan_right', 'pan_up', 'pan_down', 'orbit'],
        'metadata': Dict[str, str],
        'model': str,
        'webhook_url': str,
        'destination': str,
        'destination_key': str,
        'max_queue_seconds': float,
    },
    total=False,
)

EstimateCostObject = TypedDict(
    'EstimateCostObject',
    {
        'amount': float,
        'currency': str,
        'included_seconds_used': float,
        'overage_seconds': float,
        'unit_amount': float,
    },
    total=False,
)

EstimateIncludedObject = TypedDict(
    'EstimateIncludedObject',
    {
        'included': float,
        'remaining_after': float,
    },
    total=False,
)

EstimateRefusalObject = TypedDict(
    'EstimateRefusalObject',
    {
        'status': float,
        'code': str,
        'message': str,
    },
    total=False,
)

EstimateObject = TypedDict(
    'EstimateObject',
    {
        'object': Literal['video_estimate'],
        'livemode': bool,
        'duration_seconds': float,
        'post_production_seconds': float,
        'n': float,
        'resolution': str,
        'cost': 'EstimateCostObject',
        'included_seconds': 'EstimateIncludedObject',
        'refused': Optional['EstimateRefusalObject'],
    },
    total=False,
)

EstimateBatchDto = TypedDict(
    'EstimateBatchDto',
    {
        'videos': List['CreateVideoDto'],
    },
    total=False,
)

BatchEstimateTotal = TypedDict(
    'BatchEstimateTotal',
    {
        'amount': float,
        'currency': str,
        'video_seconds': float,
        'included_seconds_used': float,
        'overage_seconds': float,
    },
    total=False,
)

BatchEstimateObject = TypedDict(
    'BatchEstimateObject',
    {
        'object': Literal['batch_estimate'],
        'data': List['EstimateObject'],
        'total': 'BatchEstimateTotal',
        'refused': float,
    },
    total=False,
)

VideoList = TypedDict(
    'VideoList',
    {
        'object': Literal['list'],
        'data': List['VideoObject'],
        'has_more': bool,
    },
    total=False,
)

DeletedVideo = TypedDict(
    'DeletedVideo',
    {
        'id': str,
        'object': Literal['video'],
        'deleted': Literal[True],
    },
    total=False,
)

ModerationEventObject = TypedDict(
    'ModerationEventObject',
    {
        'id': str,
        'object': Literal['moderation_event'],
        'category': str,
        'source': Literal['blocklist', 'tenant_blocklist', 'provider'],
        'prompt': str,
        'request_id': Optional[str],
        'created_at': str,
    },
    total=False,
)

ModerationEventList = TypedDict(
    'ModerationEventList',
    {
        'object': Literal['list'],
        'data': List['ModerationEventObject'],
        'has_more': bool,
    },
    total=False,
)

CreateDestinationDto = TypedDict(
    'CreateDestinationDto',
    {
        'bucket': str,
        'region': str,
        'endpoint': str,
        'force_path_style': bool,
        'prefix': str,
        'access_key_id': str,
        'secret_access_key': str,
        'description': str,
    },
    total=False,
)

DestinationObject = TypedDict(
    'DestinationObject',
    {
        'id': str,
        'object': Literal['destination'],
        'livemode': bool,
        'description': str,
        'bucket': str,
        'region': str,
        'endpoint': Optional[str],
        'force_path_style': bool,
        'prefix': str,
        'access_key_id': str,
        'created_at': str,
    },
    total=False,
)

DestinationList = TypedDict(
    'DestinationList',
    {
        'object': Literal['list'],
        'data': List['DestinationObject'],
        'has_more': bool,
    },
    total=False,
)

DeletedDestination = TypedDict(
    'DeletedDestination',
    {
        'id': str,
        'object': Literal['destination'],
        'deleted': Literal[True],
    },
    total=False,
)

DestinationTestObject = TypedDict(
    'DestinationTestObject',
    {
        'object': Literal['destination_test'],
        'destination_id': str,
        'result': Literal['ok'],
    },
    total=False,
)

MeBilling = TypedDict(
    'MeBilling',
    {
        'mode': Literal['self_serve', 'invoice'],
        'net_days': Optional[float],
        'standing': Literal['active', 'past_due'],
        'past_due_since': Optional[str],
    },
    total=False,
)

MeTenant = TypedDict(
    'MeTenant',
    {
        'id': str,
        'name': str,
        'status': Literal['active'],
        'billing': 'MeBilling',
    },
    total=False,
)

MeKey = TypedDict(
    'MeKey',
    {
        'id': str,
        'livemode': bool,
        'scopes': List[str],
        'rate_limit_per_minute': Optional[float],
        'monthly_video_seconds': Optional[float],
    },
    total=False,
)

MeObject = TypedDict(
    'MeObject',
    {
        'object': Literal['me'],
        'livemode': bool,
        'tenant': 'MeTenant',
        'plan': str,
        'limits': 'LimitsObject',
        'api_key': 'MeKey',
    },
    total=False,
)

UsagePeriod = TypedDict(
    'UsagePeriod',
    {
        'id': str,
        'start': str,
        'end': str,
    },
    total=False,
)

UsageSeconds = TypedDict(
    'UsageSeconds',
    {
        'included': float,
        'used': float,
        'reserved': float,
        'remaining': float,
        'overage_allowed': bool,
        'overage': float,
    },
    total=False,
)

UsageCost = TypedDict(
    'UsageCost',
    {
        'amount': float,
        'currency': str,
        'included_seconds_used': float,
        'overage_seconds': float,
        'credits_applied': float,
        'billable': float,
        'videos': float,
    },
    total=False,
)

UsageConcurrency = TypedDict(
    'UsageConcurrency',
    {
        'limit': float,
        'active': float,
    },
    total=False,
)

UsageRate = TypedDict(
    'UsageRate',
    {
        'limit': float,
    },
    total=False,
)

UsageKey = TypedDict(
    'UsageKey',
    {
        'id': str,
        'monthly_video_seconds': Optional[float],
        'used': float,
        'amount': float,
    },
    total=False,
)

UsageGroup = TypedDict(
    'UsageGroup',
    {
        'key': str,
        'videos': float,
        'video_seconds': float,
        'included_seconds_used': float,
        'overage_seconds': float,
        'amount': float,
        'credits_applied': float,
    },
    total=False,
)

UsageObject = TypedDict(
    'UsageObject',
    {
        'object': Literal['usage'],
        'livemode': bool,
        'period': 'UsagePeriod',
        'video_seconds': 'UsageSeconds',
        'cost': 'UsageCost',
        'concurrent_videos': 'UsageConcurrency',
        'requests_per_minute': 'UsageRate',
        'api_key': 'UsageKey',
        'group_by': Literal['day', 'api_key', 'resolution'],
        'groups': List['UsageGroup'],
    },
    total=False,
)

CreateAlertDto = TypedDict(
    'CreateAlertDto',
    {
        'metric': Literal['amount', 'seconds'],
        'threshold': float,
        'hard_cap': bool,
    },
    total=False,
)

AlertObject = TypedDict(
    'AlertObject',
    {
        'id': str,
        'object': Literal['billing_alert'],
        'metric': Literal['amount', 'seconds'],
        'threshold': float,
        'hard_cap': bool,
        'fired_at': Optional[str],
        'created_at': str,
    },
    total=False,
)

AlertList = TypedDict(
    'AlertList',
    {
        'object': Literal['list'],
        'data': List['AlertObject'],
        'period_amount': float,
        'period_seconds': float,
        'currency': str,
    },
    total=False,
)

CreditGrantObject = TypedDict(
    'CreditGrantObject',
    {
        'id': str,
        'source': Literal['purchase', 'grant'],
        'amount': float,
        'remaining': float,
        'currency': str,
        'note': Optional[str],
        'expires_at': Optional[str],
        'expired': bool,
        'created_at': str,
    },
    total=False,
)

CreditMovementObject = TypedDict(
    'CreditMovementObject',
    {
        'id': str,
        'kind': Literal['granted', 'drawn'],
        'amount': float,
        'grant_id': str,
        'video_id': Optional[str],
        'created_at': str,
    },
    total=False,
)

CreditBalanceObject = TypedDict(
    'CreditBalanceObject',
    {
        'object': Literal['credit_balance'],
        'currency': str,
        'available': float,
        'expired': float,
        'grants': List['CreditGrantObject'],
        'movements': List['CreditMovementObject'],
    },
    total=False,
)

FrameRuleDto = TypedDict(
    'FrameRuleDto',
    {
        'min': float,
        'max': float,
        'step': float,
        'offset': float,
    },
    total=False,
)

HonoursDto = TypedDict(
    'HonoursDto',
    {
        'seed': bool,
        'negative_prompt': bool,
        'camera': bool,
    },
    total=False,
)

ModelCapabilitiesObject = TypedDict(
    'ModelCapabilitiesObject',
    {
        'object': Literal['model_capabilities'],
        'id': Optional[str],
        'model': str,
        'source': Literal['override', 'default'],
        'sizes': Dict[str, Any],
        'fps': float,
        'frames': 'FrameRuleDto',
        'max_prompt_chars': float,
        'honours': 'HonoursDto',
        'segment_seconds': float,
        'aspect_ratios': Dict[str, Dict[str, Literal['native', 'crop_or_pad']]],
    },
    total=False,
)

ModelObject = TypedDict(
    'ModelObject',
    {
        'object': Literal['model'],
        'model': str,
        'model_revision': Optional[str],
        'rank': float,
        'miner_uid': Optional[float],
        'miner_hotkey': Optional[str],
        'capabilities': 'ModelCapabilitiesObject',
    },
    total=False,
)

ChallengerObject = TypedDict(
    'ChallengerObject',
    {
        'model': str,
        'model_revision': str,
        'miner_hotkey': Optional[str],
        'miner_uid': Optional[float],
    },
    total=False,
)

KingReadingObject = TypedDict(
    'KingReadingObject',
    {
        'source': Literal['dashboard', 'consensus', 'chain'],
        'url': Optional[str],
        'outcome': Literal['answered', 'refused', 'agreed', 'no_majority', 'none_answered', 'derived'],
        'reason': Optional[Literal['timeout', 'too_large', 'private_address', 'invalid_url', 'unreachable', 'bad_shape']],
        'detail': Optional[str],
        'model': Optional[str],
        'model_revision': Optional[str],
        'block_number': Optional[float],
        'ambiguous': bool,
        'fetched_at': str,
    },
    total=False,
)

KingObject = TypedDict(
    'KingObject',
    {
        'object': Literal['king'],
        'model': str,
        'model_revision': Optional[str],
        'miner_hotkey': Optional[str],
        'miner_uid': Optional[float],
        'reign_number': Optional[float],
        'crowned_at': Optional[str],
        'crowned_block': Optional[float],
        'source': Literal['dashboards', 'chain', 'config'],
        'ambiguous': bool,
        'live_duels': List['ChallengerObject'],
        'readings': List['KingReadingObject'],
    },
    total=False,
)

ServedModelObject = TypedDict(
    'ServedModelObject',
    {
        'repo': str,
        'digest': str,
    },
    total=False,
)

ModelRolloutSummary = TypedDict(
    'ModelRolloutSummary',
    {
        'object': Literal['model_rollout'],
        'repo': str,
        'digest': str,
        'state': Literal['desired', 'fetching', 'loading', 'warming', 'ready', 'serving', 'draining', 'retired', 'failed'],
        'held': bool,
        'served_at': Optional[str],
        'replaced_at': Optional[str],
    },
    total=False,
)

ModelList = TypedDict(
    'ModelList',
    {
        'object': Literal['list'],
        'data': List['ModelObject'],
        'has_more': bool,
        'ranking_block': Optional[float],
        'king': Optional['KingObject'],
        'served': Optional['ServedModelObject'],
        'rollouts': List['ModelRolloutSummary'],
    },
    total=False,
)

CreateWebhookEndpointDto = TypedDict(
    'CreateWebhookEndpointDto',
    {
        'url': str,
        'enabled_events': List[Literal['*', 'video.queued', 'video.running', 'video.succeeded', 'video.segment_succeeded', 'video.failed', 'video.canceled', 'video.expired', 'batch.completed', 'batch.failed', 'batch.expired', 'billing.threshold_reached', 'video.deleted', 'file.deleted', 'model.changed', 'video.delivered', 'video.delivery_failed', 'batch.manifest_delivered', 'batch.manifest_delivery_failed']],
        'description': str,
    },
    total=False,
)

WebhookEndpointObject = TypedDict(
    'WebhookEndpointObject',
    {
        'id': str,
        'object': Literal['webhook_endpoint'],
        'livemode': bool,
        'url': str,
        'description': str,
        'enabled_events': List[Literal['*', 'video.queued', 'video.running', 'video.succeeded', 'video.segment_succeeded', 'video.failed', 'video.canceled', 'video.expired', 'batch.completed', 'batch.failed', 'batch.expired', 'billing.threshold_reached', 'video.deleted', 'file.deleted', 'model.changed', 'video.delivered', 'video.delivery_failed', 'batch.manifest_delivered', 'batch.manifest_delivery_failed']],
        'status': Literal['enabled', 'disabled'],
        'disabled_reason': Optional[str],
        'disabled_at': Optional[str],
        'failing_since': Optional[str],
        'previous_secret_expires_at': Optional[str],
        'secret': str,
        'created_at': str,
    },
    total=False,
)

WebhookEndpointList = TypedDict(
    'WebhookEndpointList',
    {
        'object': Literal['list'],
        'data': List['WebhookEndpointObject'],
        'has_more': bool,
    },
    total=False,
)

UpdateWebhookEndpointDto = TypedDict(
    'UpdateWebhookEndpointDto',
    {
        'url': str,
        'enabled_events': List[Literal['*', 'video.queued', 'video.running', 'video.succeeded', 'video.segment_succeeded', 'video.failed', 'video.canceled', 'video.expired', 'batch.completed', 'batch.failed', 'batch.expired', 'billing.threshold_reached', 'video.deleted', 'file.deleted', 'model.changed', 'video.delivered', 'video.delivery_failed', 'batch.manifest_delivered', 'batch.manifest_delivery_failed']],
        'description': str,
        'enabled': bool,
    },
    total=False,
)

DeletedWebhookEndpoint = TypedDict(
    'DeletedWebhookEndpoint',
    {
        'id': str,
        'object': Literal['webhook_endpoint'],
        'deleted': Literal[True],
    },
    total=False,
)

RotateSecretDto = TypedDict(
    'RotateSecretDto',
    {
        'overlap_seconds': float,
    },
    total=False,
)

DeliveryAttemptObject = TypedDict(
    'DeliveryAttemptObject',
    {
        'attempt': float,
        'at': str,
        'status_code': Optional[float],
        'latency_ms': float,
        'error': Optional[str],
        'next_retry_at': Optional[str],
    },
    total=False,
)

DeliveryObject = TypedDict(
    'DeliveryObject',
    {
        'id': str,
        'object': Literal['webhook_delivery'],
        'event_id': str,
        'endpoint_id': Optional[str],
        'url': str,
        'status': Literal['pending', 'succeeded', 'failed'],
        'attempts': float,
        'next_attempt_at': Optional[str],
        'last_error': Optional[str],
        'attempt_log': List['DeliveryAttemptObject'],
        'created_at': str,
    },
    total=False,
)

DeliveryList = TypedDict(
    'DeliveryList',
    {
        'object': Literal['list'],
        'data': List['DeliveryObject'],
        'has_more': bool,
    },
    total=False,
)

RecoveryObject = TypedDict(
    'RecoveryObject',
    {
        'object': Literal['webhook_recovery'],
        'endpoint_id': str,
        'since': str,
        'deliveries': float,
    },
    total=False,
)

EventDataObject = TypedDict(
    'EventDataObject',
    {
        'id': str,
        'object': str,
        'status': str,
        'url': str,
        'error': Dict[str, Any],
    },
    total=False,
)

EventObject = TypedDict(
    'EventObject',
    {
        'id': str,
        'object': Literal['event'],
        'type': Literal['video.queued', 'video.running', 'video.succeeded', 'video.segment_succeeded', 'video.failed', 'video.canceled', 'video.expired', 'batch.completed', 'batch.failed', 'batch.expired', 'billing.threshold_reached', 'video.deleted', 'file.deleted', 'model.changed', 'video.delivered', 'video.delivery_failed', 'batch.manifest_delivered', 'batch.manifest_delivery_failed'],
        'livemode': bool,
        'data': 'EventDataObject',
        'created_at': str,
    },
    total=False,
)

EventList = TypedDict(
    'EventList',
    {
        'object': Literal['list'],
        'data': List['EventObject'],
        'has_more': bool,
    },
    total=False,
)

WebhookSecretObject = TypedDict(
    'WebhookSecretObject',
    {
        'object': Literal['webhook_secret'],
        'secret': str,
    },
    total=False,
)

CheckoutDto = TypedDict(
    'CheckoutDto',
    {
        'plan': str,
    },
    total=False,
)

CreditCheckoutDto = TypedDict(
    'CreditCheckoutDto',
    {
        'amount': float,
    },
    total=False,
)

PublicBurnObject = TypedDict(
    'PublicBurnObject',
    {
        'object': str,
        'id': str,
        'status': Literal['dry_run', 'planned', 'signed', 'submitted', 'in_block', 'finalized', 'failed', 'expired'],
        'netuid': float,
        'hotkey': Optional[str],
        'signer': Optional[str],
        'coldkey': Optional[str],
        'currency': str,
        'amount_rao': str,
        'tao_spent_rao': Optional[str],
        'alpha_bought': Optional[str],
        'alpha_burned': Optional[str],
        'fee_rao': Optional[str],
        'price_rao': Optional[str],
        'limit_price_rao': Optional[str],
        'block_number': Optional[float],
        'block_hash': Optional[str],
        'extrinsic_index': Optional[float],
        'extrinsic_hash': Optional[str],
        'spec_version': Optional[float],
        'memo_hash': Optional[str],
        'explorer_url': Optional[str],
        'finalized_at': Optional[str],
        'created_at': str,
    },
    total=False,
)

PublicTotalsObject = TypedDict(
    'PublicTotalsObject',
    {
        'burns': float,
        'tao_spent_rao': str,
        'alpha_burned': str,
        'fees_rao': str,
    },
    total=False,
)

PublicBurnList = TypedDict(
    'PublicBurnList',
    {
        'object': str,
        'data': List['PublicBurnObject'],
        'has_more': bool,
        'totals': 'PublicTotalsObject',
    },
    total=False,
)

ProofStepObject = TypedDict(
    'ProofStepObject',
    {
        'side': Literal['left', 'right'],
        'hash': str,
    },
    total=False,
)

ProofAnchorObject = TypedDict(
    'ProofAnchorObject',
    {
        'burn_id': str,
        'status': str,
        'block_number': Optional[float],
        'extrinsic_index': Optional[float],
        'extrinsic_hash': Optional[str],
        'memo': str,
    },
    total=False,
)

AllocationBurnShareObject = TypedDict(
    'AllocationBurnShareObject',
    {
        'burn_id': str,
        'status': str,
        'block_number': Optional[float],
        'extrinsic_index': Optional[float],
        'amount_minor': float,
        'tao_rao': Optional[str],
        'alpha': Optional[str],
    },
    total=False,
)

AllocationProofObject = TypedDict(
    'AllocationProofObject',
    {
        'allocation_id': str,
        'invoice_id': str,
        'kind': str,
        'amount_minor': float,
        'currency': str,
        'policy_version': float,
        'period': str,
        'period_closed': bool,
        'leaf': Optional[str],
        'leaf_index': Optional[float],
        'leaf_count': Optional[float],
        'path': List['ProofStepObject'],
        'merkle_root': Optional[str],
        'anchor': Optional['ProofAnchorObject'],
        'burns': List['AllocationBurnShareObject'],
    },
    total=False,
)

InvoiceBurnProofObject = TypedDict(
    'InvoiceBurnProofObject',
    {
        'object': str,
        'invoice_id': str,
        'allocations': List['AllocationProofObject'],
    },
    total=False,
)

CreateBatchDto = TypedDict(
    'CreateBatchDto',
    {
        'items': List[Dict[str, Any]],
        'input_file_id': str,
        'images_file_id': str,
        'format': Literal['jsonl', 'csv'],
        'on_invalid': Literal['reject', 'skip'],
        'model': str,
        'destination': str,
        'destination_key': str,
        'metadata': Dict[str, str],
        'complete_by': str,
    },
    total=False,
)

RequestCounts = TypedDict(
    'RequestCounts',
    {
        'total': float,
        'queued': float,
        'running': float,
        'succeeded': float,
        'failed': float,
        'canceled': float,
        'expired': float,
    },
    total=False,
)

BatchModelObject = TypedDict(
    'BatchModelObject',
    {
        'rule': Literal['pinned_at_creation', 'pin', 'winner'],
        'repo': Optional[str],
        'digest': Optional[str],
    },
    total=False,
)

RowProblem = TypedDict(
    'RowProblem',
    {
        'param': str,
        'code': str,
        'message': str,
    },
    total=False,
)

RejectedRowObject = TypedDict(
    'RejectedRowObject',
    {
        'row': float,
        'custom_id': Optional[str],
        'errors': List['RowProblem'],
    },
    total=False,
)

BatchManifestDelivery = TypedDict(
    'BatchManifestDelivery',
    {
        'destination': str,
        'status': Literal['pending', 'delivered', 'failed'],
        'key': Optional[str],
        'attempts': float,
        'last_error': Optional[str],
        'delivered_at': Optional[str],
    },
    total=False,
)

BatchObject = TypedDict(
    'BatchObject',
    {
        'id': str,
        'object': Literal['batch'],
        'status': Literal['validating', 'in_progress', 'completed', 'failed', 'canceled', 'expired'],
        'livemode': bool,
        'request_counts': 'RequestCounts',
        'metadata': Dict[str, str],
        'model': 'BatchModelObject',
        'on_invalid': Literal['reject', 'skip'],
        'destination': Optional[str],
        'destination_key': Optional[str],
        'rejected_count': float,
        'rejected_rows': List['RejectedRowObject'],
        'input': Dict[str, Any],
        'results_url': str,
        'manifest_delivery': Optional['BatchManifestDelivery'],
        'complete_by': Optional[str],
        'estimated_completion_at': Optional[str],
        'created_at': str,
        'in_progress_at': Optional[str],
        'completed_at': Optional[str],
        'canceled_at': Optional[str],
    },
    total=False,
)

BatchList = TypedDict(
    'BatchList',
    {
        'object': Literal['list'],
        'data': List['BatchObject'],
        'has_more': bool,
    },
    total=False,
)

PriceByResolution = TypedDict(
    'PriceByResolution',
    {
        '480p': float,
        '720p': float,
    },
    total=False,
)

PlanPriceObject = TypedDict(
    'PlanPriceObject',
    {
        'code': str,
        'name': str,
        'currency': str,
        'base_amount': float,
        'included_video_seconds': float,
        'overage_allowed': bool,
        'overage_per_second': 'PriceByResolution',
        'limits': 'LimitsObject',
    },
    total=False,
)

PostProductionPriceObject = TypedDict(
    'PostProductionPriceObject',
    {
        'step': Literal['stitch', 'crop', 'pad', 'upscale', 'interpolate', 'audio'],
        'source': Literal['silent', 'file'],
        'description': str,
        'amount_per_second': float,
        'billed_seconds_per_second': float,
        'cpu_seconds_per_video_second': float,
    },
    total=False,
)

YourPriceObject = TypedDict(
    'YourPriceObject',
    {
        'plan': str,
        'source': Literal['contract', 'plan_version', 'price_list', 'unpriced'],
        'currency': str,
        'base_amount': float,
        'included_video_seconds': float,
        'overage_allowed': bool,
        'overage_per_second': 'PriceByResolution',
        'commitment_amount': float,
        'discount_bps': float,
        'contract_version': Optional[int],
        'plan_version': Optional[int],
        'limits': 'LimitsObject',
    },
    total=False,
)

PricingObject = TypedDict(
    'PricingObject',
    {
        'object': Literal['pricing'],
        'currency': str,
        'plans': List['PlanPriceObject'],
        'post_production': List['PostProductionPriceObject'],
        'yours': 'YourPriceObject',
    },
    total=False,
)

SignUpDto = TypedDict(
    'SignUpDto',
    {
        'email': str,
        'organization': str,
    },
    total=False,
)

LinkSent = TypedDict(
    'LinkSent',
    {
        'object': Literal['sign_up', 'sign_in_link'],
        'email': str,
        'expires_at': str,
    },
    total=False,
)

EmailLinkDto = TypedDict(
    'EmailLinkDto',
    {
        'email': str,
    },
    total=False,
)

VerifyLinkDto = TypedDict(
    'VerifyLinkDto',
    {
        'token': str,
    },
    total=False,
)

MembershipRef = TypedDict(
    'MembershipRef',
    {
        'tenant_id': str,
        'role': Literal['owner', 'admin', 'developer', 'billing', 'viewer'],
    },
    total=False,
)

SignedIn = TypedDict(
    'SignedIn',
    {
        'id': str,
        'object': Literal['session'],
        'user_id': Optional[str],
        'operator_id': Optional[str],
        'email': Optional[str],
        'tenant_id': Optional[str],
        'role': Optional[str],
        'memberships': List['MembershipRef'],
        'method': str,
        'current': bool,
        'user_agent': str,
        'created_at': str,
        'last_seen_at': str,
        'idle_expires_at': str,
        'absolute_expires_at': str,
        'csrf_token': str,
        'api_keys': List['ApiKeyWithSecret'],
    },
    total=False,
)

SessionObject = TypedDict(
    'SessionObject',
    {
        'id': str,
        'object': Literal['session'],
        'user_id': Optional[str],
        'operator_id': Optional[str],
        'email': Optional[str],
        'tenant_id': Optional[str],
        'role': Optional[str],
        'memberships': List['MembershipRef'],
        'method': str,
        'current': bool,
        'user_agent': str,
        'created_at': str,
        'last_seen_at': str,
        'idle_expires_at': str,
        'absolute_expires_at': str,
    },
    total=False,
)

SwitchTenantDto = TypedDict(
    'SwitchTenantDto',
    {
        'tenant_id': str,
    },
    total=False,
)

SessionList = TypedDict(
    'SessionList',
    {
        'object': Literal['list'],
        'data': List['SessionObject'],
        'has_more': bool,
    },
    total=False,
)

MemberObject = TypedDict(
    'MemberObject',
    {
        'id': str,
        'object': Literal['member'],
        'tenant_id': str,
        'email': str,
        'role': Literal['owner', 'admin', 'developer', 'billing', 'viewer'],
        'created_at': str,
    },
    total=False,
)

MemberList = TypedDict(
    'MemberList',
    {
        'object': Literal['list'],
        'data': List['MemberObject'],
        'has_more': bool,
    },
    total=False,
)

ChangeRoleDto = TypedDict(
    'ChangeRoleDto',
    {
        'role': Literal['owner', 'admin', 'developer', 'billing', 'viewer'],
    },
    total=False,
)

InviteMemberDto = TypedDict(
    'InviteMemberDto',
    {
        'email': str,
        'role': Literal['owner', 'admin', 'developer', 'billing', 'viewer'],
    },
    total=False,
)

InvitationObject = TypedDict(
    'InvitationObject',
    {
        'id': str,
        'object': Literal['invitation'],
        'tenant_id': str,
        'email': str,
        'role': Literal['owner', 'admin', 'developer', 'billing', 'viewer'],
        'invited_by': str,
        'expires_at': str,
        'accepted_at': Optional[str],
        'revoked_at': Optional[str],
        'created_at': str,
    },
    total=False,
)

InvitationList = TypedDict(
    'InvitationList',
    {
        'object': Literal['list'],
        'data': List['InvitationObject'],
        'has_more': bool,
    },
    total=False,
)

AcceptInvitationDto = TypedDict(
    'AcceptInvitationDto',
    {
        'token': str,
    },
    total=False,
)

SsoConnectionObject = TypedDict(
    'SsoConnectionObject',
    {
        'object': Literal['sso_connection'],
        'tenant_id': str,
        'issuer': str,
        'client_id': str,
        'allowed_domains': List[str],
        'verified_domains': List[str],
        'default_role': Literal['owner', 'admin', 'developer', 'billing', 'viewer'],
        'sso_required': bool,
        'redirect_uri': str,
        'updated_at': str,
    },
    total=False,
)

SsoSettingsDto = TypedDict(
    'SsoSettingsDto',
    {
        'issuer': str,
        'client_id': str,
        'client_secret': str,
        'allowed_domains': List[str],
        'default_role': Literal['owner', 'admin', 'developer', 'billing', 'viewer'],
        'sso_required': bool,
    },
    total=False,
)

DomainVerificationRecord = TypedDict(
    'DomainVerificationRecord',
    {
        'type': Literal['TXT'],
        'name': str,
        'value': str,
    },
    total=False,
)

SsoDomainObject = TypedDict(
    'SsoDomainObject',
    {
        'object': Literal['sso_domain'],
        'domain': str,
        'status': Literal['pending', 'verified'],
        'verification': 'DomainVerificationRecord',
        'verified_at': Optional[str],
        'checked_at': Optional[str],
        'created_at': str,
    },
    total=False,
)

SsoDomainList = TypedDict(
    'SsoDomainList',
    {
        'object': Literal['list'],
        'data': List['SsoDomainObject'],
        'has_more': bool,
    },
    total=False,
)

AddSsoDomainDto = TypedDict(
    'AddSsoDomainDto',
    {
        'domain': str,
    },
    total=False,
)

StartSsoDto = TypedDict(
    'StartSsoDto',
    {
        'email': str,
        'tenant_id': str,
    },
    total=False,
)

SsoRedirect = TypedDict(
    'SsoRedirect',
    {
        'object': Literal['sso_redirect'],
        'url': str,
    },
    total=False,
)

StartOperatorSsoDto = TypedDict(
    'StartOperatorSsoDto',
    {
        'email': str,
    },
    total=False,
)

Problem = TypedDict(
    'Problem',
    {
        'type': str,
        'title': str,
        'status': int,
        'detail': str,
        'code': Literal['validation_failed', 'malformed_json', 'json_too_deep', 'too_many_large_requests', 'bad_request', 'api_version_unknown', 'payload_too_large', 'malformed_request', 'headers_too_large', 'request_timeout', 'forbidden', 'resource_not_found', 'method_not_allowed', 'unsupported_media_type', 'internal_error', 'service_unavailable', 'authentication_required', 'invalid_session', 'session_expired', 'csrf_token_invalid', 'session_required', 'membership_required', 'invalid_api_key', 'too_many_failed_authentications', 'insufficient_scope', 'livemode_required', 'insufficient_role', 'operator_key_required', 'tenant_key_required', 'api_key_expired', 'tenant_suspended', 'exceeds_calling_key', 'api_key_revoked', 'rate_limited', 'concurrency_limited', 'quota_exceeded', 'spend_cap_reached', 'file_required', 'file_upload_limit_reached', 'file_purpose_invalid', 'batch_file_invalid', 'file_not_found', 'file_upload_incomplete', 'file_upload_expired', 'file_upload_size_mismatch', 'archive_invalid', 'archive_entry_name_invalid', 'archive_duplicate_name', 'archive_too_many_entries', 'archive_entry_too_large', 'archive_too_large', 'archive_not_usable', 'file_expired', 'image_url_invalid', 'image_url_forbidden', 'image_fetch_failed', 'image_fetch_timeout', 'image_data_uri_invalid', 'image_unsupported_type', 'image_invalid', 'image_too_large', 'image_dimensions_too_large', 'image_too_small', 'audio_url_invalid', 'audio_url_forbidden', 'audio_fetch_failed', 'audio_fetch_timeout', 'audio_too_large', 'audio_unsupported_type', 'audio_invalid', 'audio_too_long', 'media_check_unavailable', 'audio_file_not_usable', 'too_many_files', 'unexpected_file_field', 'field_too_large', 'too_many_fields', 'too_many_parts', 'invalid_multipart', 'image_ambiguous', 'duration_not_allowed', 'resolution_not_allowed', 'queue_full', 'video_not_cancelable', 'video_not_ready', 'video_expired', 'variant_not_available', 'share_link_invalid', 'share_link_expired', 'too_many_streams', 'stream_capacity_reached', 'webhook_url_invalid', 'webhook_url_forbidden', 'webhook_url_unresolvable', 'no_webhook_targets', 'webhook_endpoint_limit_reached', 'webhook_endpoint_disabled', 'destination_endpoint_invalid', 'destination_endpoint_forbidden', 'destination_unreachable', 'destination_denied', 'destination_limit_reached', 'destination_key_invalid', 'delivery_not_found', 'delivery_in_progress', 'idempotency_key_invalid', 'idempotency_request_in_progress', 'idempotency_key_reused', 'operator_exists', 'plan_not_found', 'plan_exists', 'plan_retired', 'plan_in_use', 'plan_version_overlap', 'plan_version_in_past', 'plan_price_invalid', 'plan_currency_change', 'backend_url_forbidden', 'model_not_servable', 'backend_from_config', 'billing_not_configured', 'plan_not_for_sale', 'plan_not_self_serve', 'billing_mode_invoice', 'billing_mode_self_serve', 'subscription_exists', 'stripe_unavailable', 'stripe_timeout', 'stripe_signature_invalid', 'burn_not_found', 'burn_not_on_chain', 'chain_unavailable', 'chain_not_configured', 'treasury_coldkey_not_configured', 'funding_duplicate_reference', 'funding_exceeds_allocations', 'funding_rate_mismatch', 'funding_transfer_not_found', 'funding_transfer_hash_mismatch', 'funding_transfer_not_to_treasury', 'funding_transfer_not_finalized', 'funding_transfer_already_used', 'burn_run_in_progress', 'policy_backdated', 'period_closed', 'period_not_ended', 'period_already_closed', 'period_out_of_order', 'period_has_unresolved_burns', 'period_not_found', 'invoice_not_found', 'unsupported_by_model', 'batch_invalid_rows', 'archive_member_not_found', 'complete_by_infeasible', 'batch_empty', 'batch_too_large', 'batch_input_invalid', 'batch_file_not_usable', 'batch_not_cancelable', 'batch_nothing_to_retry', 'alert_limit_reached', 'invalid_range', 'erase_confirmation_mismatch', 'content_policy_violation', 'moderation_unavailable', 'rollout_not_found', 'rollout_not_ready', 'rollout_not_retained', 'contract_not_found', 'contract_price_negative', 'contract_version_overlap', 'contract_effective_in_past', 'contract_currency_change', 'contract_term_invalid', 'link_invalid', 'link_expired', 'link_used', 'link_other_browser', 'signup_domain_refused', 'signup_rate_limited', 'sign_in_rate_limited', 'already_registered', 'membership_not_found', 'last_owner', 'owner_required', 'invitation_expired', 'invitation_used', 'sso_not_configured', 'sso_domain_not_allowed', 'sso_failed', 'sso_required', 'claim_link_used', 'claim_link_expired', 'sso_domain_unverified', 'domain_verification_failed', 'sso_no_operator_role', 'operator_disabled', 'already_member', 'email_invalid'],
        'request_id': str,
        'errors': List[Dict[str, Any]],
    },
    total=False,
)
"""RFC 9457 problem details with a stable machine-readable code."""

Event = TypedDict(
    'Event',
    {
        'type': Literal['video.queued', 'video.running', 'video.succeeded', 'video.segment_succeeded', 'video.failed', 'video.canceled', 'video.expired', 'batch.completed', 'batch.failed', 'batch.expired', 'billing.threshold_reached', 'video.deleted', 'file.deleted', 'model.changed', 'video.delivered', 'video.delivery_failed', 'batch.manifest_delivered', 'batch.manifest_delivery_failed'],
        'timestamp': str,
        'data': Dict[str, Any],
    },
    total=False,
)
"""A Standard Webhooks payload: thin on purpose, so fetch `data.url` for the current state and a fresh download URL."""

CreateVideoDtoForm = TypedDict(
    'CreateVideoDtoForm',
    {
        'prompt': str,
        'image': str,
        'negative_prompt': str,
        'duration_seconds': float,
        'outputs': List['VideoOutputDto'],
        'segments': List['VideoSegmentDto'],
        'transition': Literal['cut', 'crossfade'],
        'resolution': Literal['480p', '720p', '1080p'],
        'fps': Literal[24, 30],
        'aspect_ratio': Literal['16:9', '9:16', '1:1', '4:5'],
        'fit': Literal['crop', 'pad'],
        'focus': 'FocusPointDto',
        'n': float,
        'audio': Literal['none', 'silent'],
        'audio_file': str,
        'seed': float,
        'camera': Literal['static', 'zoom_in', 'zoom_out', 'pan_left', 'pan_right', 'pan_up', 'pan_down', 'orbit'],
        'metadata': Dict[str, str],
        'model': str,
        'webhook_url': str,
        'destination': str,
        'destination_key': str,
        'max_queue_seconds': float,
    },
    total=False,
)

CreateBatchDtoForm = TypedDict(
    'CreateBatchDtoForm',
    {
        'items': List[Dict[str, Any]],
        'input_file_id': str,
        'images_file_id': str,
        'format': Literal['jsonl', 'csv'],
        'on_invalid': Literal['reject', 'skip'],
        'model': str,
        'destination': str,
        'destination_key': str,
        'metadata': Dict[str, str],
        'complete_by': str,
        'file': str,
    },
    total=False,
)
