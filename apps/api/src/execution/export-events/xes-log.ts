/**
 * The project's jobs as an XES log (IEEE 1849-2016), one trace per job, written a trace at
 * a time. Progress reports are left out: they are repeated measurements, not steps of the
 * job, and would make every job its own variant.
 */
import { JOB_ACTIVITIES, JOB_LIFECYCLE_TRANSITIONS, asJobEvent, resourceOf } from './job-activities.js';
import { inRange, type ExportRange, type JobWithEvents } from './project-job-events.js';

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// Characters XML 1.0 cannot carry at all (C0 controls but tab, newline, carriage return).
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function xmlText(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

const string = (key: string, value: string) => `<string key="${key}" value="${xmlText(value)}"/>`;
const int = (key: string, value: number) => `<int key="${key}" value="${value}"/>`;
const date = (key: string, value: string) => `<date key="${key}" value="${value}"/>`;

const HEADER = `<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xes.features="" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
  <classifier name="Activity" keys="concept:name"/>
  <classifier name="Activity and transition" keys="concept:name lifecycle:transition"/>
`;

export async function* xesLog(jobs: AsyncIterable<JobWithEvents>, range: ExportRange): AsyncGenerator<string> {
  yield HEADER;
  for await (const { job, events } of jobs) {
    const kept = events.filter((e) => e.type !== 'JobProgressed' && inRange(e, range));
    if (kept.length === 0) continue;
    const trace = [
      '  <trace>',
      `    ${string('concept:name', job.jobId)}`,
      `    ${string('jobName', job.jobName)}`,
      `    ${string('jobType', job.jobType)}`,
      `    ${int('attempt', job.attempt)}`,
      ...(job.retryOf ? [`    ${string('retryOf', job.retryOf)}`] : []),
    ];
    for (const recorded of kept) {
      const event = asJobEvent(recorded);
      const transition = JOB_LIFECYCLE_TRANSITIONS[event.type];
      trace.push(
        '    <event>',
        `      ${string('concept:name', JOB_ACTIVITIES[event.type])}`,
        `      ${date('time:timestamp', recorded.recordedAt)}`,
        ...(transition ? [`      ${string('lifecycle:transition', transition)}`] : []),
        `      ${string('org:resource', resourceOf(recorded, event))}`,
        `      ${string('eventType', event.type)}`,
        ...(event.type === 'JobFailed' ? [`      ${string('errorType', event.data.errorType)}`] : []),
        '    </event>',
      );
    }
    trace.push('  </trace>\n');
    yield trace.join('\n');
  }
  yield '</log>\n';
}
