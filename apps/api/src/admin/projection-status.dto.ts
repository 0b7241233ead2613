import { ApiProperty } from '@nestjs/swagger';
import { LAG_EVENTS_CAP } from '../../../../libs/read-store/src/projections/projection-rebuilds.js';

export class RebuildStateDto {
  @ApiProperty({ example: 'job_views' }) projection!: string;
  @ApiProperty({ enum: ['copying', 'switching', 'switched', 'failed', 'running elsewhere'], description: 'copying: folding events into the fresh copy while the API serves the live read model; switching: writers held off for the last events and the swap; switched: the copy is the live read model; running elsewhere: another process rebuilds (only its name is known here)' })
  phase!: string;
  @ApiProperty({ format: 'date-time', required: false }) startedAt?: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, required: false }) finishedAt?: string | null;
  @ApiProperty({ required: false, description: 'Events read into the copy so far' }) eventsFolded?: number;
  @ApiProperty({ required: false, description: 'Job events that changed a document of the copy' }) jobEventsFolded?: number;
  @ApiProperty({ type: String, nullable: true, required: false }) error?: string | null;
  @ApiProperty({ required: false, description: 'The process running it (phase "running elsewhere")' }) runningIn?: string;
}

export class ProjectionStatusDto {
  @ApiProperty({ example: 'job_views' }) name!: string;
  @ApiProperty({ example: '7431/12', description: 'Every event before this global position (transaction/sequence) is in the read model' }) checkpoint!: string;
  @ApiProperty({ type: Number, nullable: true, description: `Events after the checkpoint, counted up to ${LAG_EVENTS_CAP} (a larger lag shows as ${LAG_EVENTS_CAP}); null when unknown` })
  lagEvents!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Age in seconds of the oldest event after the checkpoint; 0 when caught up; null when unknown' })
  lagSeconds!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'The process (NODE_ID) leading the projection; null when none does right now' })
  leader!: string | null;
  @ApiProperty({ type: RebuildStateDto, nullable: true }) rebuilding!: RebuildStateDto | null;
}

export class ProjectionListDto {
  @ApiProperty({ type: [ProjectionStatusDto] }) projections!: ProjectionStatusDto[];
  @ApiProperty({ type: RebuildStateDto, nullable: true, description: 'The rebuild this process runs, or the last one it ran' })
  lastRebuild!: RebuildStateDto | null;
}
