// Printers for batch/v1: Job and CronJob (pkg/printers/internalversion printJob, printCronJob).
import {
  age, ageColumn, arr, col, containerCells, formatSelector, humanDuration, nameColumn, num, since, str,
  type Obj, type Printer,
} from './columns.js';

const hasCondition = (o: Obj, type: string): boolean => arr(o.status?.conditions).some((c) => c.type === type && c.status === 'True');

/** The Status column: the first of these that holds, in Kubernetes' order. */
function jobStatus(o: Obj): string {
  if (hasCondition(o, 'Complete')) return 'Complete';
  if (hasCondition(o, 'Failed')) return 'Failed';
  if (o.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(o, 'Suspended')) return 'Suspended';
  if (hasCondition(o, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(o, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function completions(o: Obj): string {
  const succeeded = num(o.status?.succeeded);
  if (typeof o.spec?.completions === 'number') return `${succeeded}/${o.spec.completions}`;
  const parallelism = o.spec?.parallelism;
  return typeof parallelism === 'number' && parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function duration(o: Obj, now: number): string {
  const start = Date.parse(str(o.status?.startTime));
  if (Number.isNaN(start)) return '';
  const end = Date.parse(str(o.status?.completionTime));
  return humanDuration((Number.isNaN(end) ? now : end) - start);
}

/** metav1.FormatLabelSelector: `<none>` for no selector. */
const labelSelector = (sel: Obj | undefined): string => formatSelector(sel) || '<none>';

const templateWide = (selectorHelp: string) => [
  col('Containers', 'string', 'Names of each container in the template.', 1),
  col('Images', 'string', 'Images referenced by each container in the template.', 1),
  col('Selector', 'string', selectorHelp, 1),
];

export const jobPrinter: Printer = {
  columns: [
    nameColumn,
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', 'The completion status of the job as a fraction of completed pods.'),
    col('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    ...templateWide('A label query over pods that should match the pod count.'),
  ],
  row: (o, now) => ({
    cells: [str(o.metadata?.name), jobStatus(o), completions(o), duration(o, now), age(o, now), ...containerCells(o.spec?.template?.spec), labelSelector(o.spec?.selector)],
  }),
};

const boolPtr = (v: unknown): string => (v === true ? 'True' : v === false ? 'False' : '<unset>');

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn,
    col('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones'),
    col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.'),
    col('Active', 'integer', 'A list of pointers to currently running jobs.'),
    col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn,
    ...templateWide('A label query over pods that should match the pod count. Normally, the system sets this field for you.'),
  ],
  row: (o, now) => {
    const jobSpec: Obj | undefined = o.spec?.jobTemplate?.spec;
    const last = o.status?.lastScheduleTime;
    return {
      cells: [
        str(o.metadata?.name), str(o.spec?.schedule), str(o.spec?.timeZone) || '<none>', boolPtr(o.spec?.suspend), arr(o.status?.active).length,
        last ? since(last, now) : '<none>', age(o, now), ...containerCells(jobSpec?.template?.spec), labelSelector(jobSpec?.selector),
      ],
    };
  },
};
