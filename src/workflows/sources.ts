/**
 * The documentation each workflow is written from, as users can read it: the workflow definitions' `seeds` are
 * the project's own copies of these pages, so output cites the page (title and address), never a seed number.
 */
export interface DocSource {
  /** Short name used in step explanations ("SageMaker execution-role guide"). */
  readonly name: string;
  readonly title: string;
  readonly url: string;
}

const NOTEBOOK_JOBS: DocSource = {
  name: 'SageMaker notebook-job permissions guide',
  title: 'Amazon SageMaker Developer Guide: Set up policies and permissions for Studio (notebook jobs)',
  url: 'https://docs.aws.amazon.com/sagemaker/latest/dg/scheduled-notebook-policies-studio.html',
};

const SOURCES: Readonly<Record<string, DocSource>> = {
  '000': NOTEBOOK_JOBS,
  '001': NOTEBOOK_JOBS,
  '002': {
    name: 'IoT Analytics notebook-container permissions guide',
    title: 'AWS IoT Analytics User Guide: Permissions (automating a notebook container)',
    url: 'https://docs.aws.amazon.com/iotanalytics/latest/userguide/automate-permissions.html',
  },
  '003': {
    name: 'SageMaker execution-role guide',
    title: 'Amazon SageMaker Developer Guide: SageMaker roles',
    url: 'https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html',
  },
  '004': {
    name: 'MLSpace Notebook Policy',
    title: 'MLSpace Administrator Guide: Notebook Policy',
    url: 'https://awslabs.github.io/mlspace/admin-guide/security/policies/notebook-policy.html',
  },
};

/** The documentation pages behind a workflow's seeds, each once. */
export function docSources(seeds: readonly string[]): DocSource[] {
  return [...new Set(seeds.map((s) => SOURCES[s]).filter((s): s is DocSource => s !== undefined))];
}

/** "(SageMaker Developer Guide: SageMaker roles, https://…)" for a workflow's title line. */
export function citeSources(seeds: readonly string[]): string {
  return docSources(seeds)
    .map((s) => `${s.title}, ${s.url}`)
    .join('; ');
}
