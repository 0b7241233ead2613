import { PointInTimeRequestDto } from '../shared/point-in-time.request.dto.js';

export class GetJobStatusRequestDto extends PointInTimeRequestDto {}
