// The example accounts of examples/accounts/, as data: for each workflow the
// passing account (built from the seed policies in ../policies/) and its
// broken variants, each a one-place change with the reason, the steps that
// fail and the fix `iamsim preflight` suggests. build.mjs writes the files.
import { readFileSync } from 'node:fs';

const policy = (name) => JSON.parse(readFileSync(new URL(`../policies/${name}`, import.meta.url), 'utf8'));

const ACCOUNT = '111122223333';
const MGMT = '999988887777';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const VPCE = 'vpce-0a1b2c3d4e5f67890';

const role = (spec, name) => spec.accounts[0].roles.find((r) => r.name === name);
const managed = (spec, name) => spec.accounts[0].policies.find((p) => p.name === name);
const resource = (spec, prefix) => spec.accounts[0].resourcePolicies.find((rp) => rp.arn.startsWith(prefix));

function organization(scp) {
  return {
    id: 'o-exampleorg1',
    managementAccount: MGMT,
    enabledPolicyTypes: ['SCP', 'RCP'],
    policies: [{ name: 'DenyOutsideApprovedRegions', type: 'SCP', document: scp }],
    root: {
      name: 'Root', accounts: [MGMT],
      ous: [{ name: 'MachineLearning', scps: ['FullAWSAccess', 'DenyOutsideApprovedRegions'], accounts: [{ id: ACCOUNT, name: 'ml-dev' }] }],
    },
  };
}

function notebookJob() {
  const endpointPolicy = policy('s3-vpce-headless-endpoint-policy.json');
  endpointPolicy.Statement.push({
    Sid: 'AutomatedExecutionBuckets', Effect: 'Allow', Principal: '*',
    Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:GetBucketLocation'],
    Resource: 'arn:aws:s3:::sagemaker-automated-execution-*',
  });
  const spec = {
    accounts: [{
      id: ACCOUNT, name: 'ml-dev',
      policies: [
        { name: 'NotebookJobPermissions', document: policy('notebook-job-permissions-v2.json') },
        { name: 'NotebookJobKms', document: policy('notebook-job-kms.json') },
      ],
      roles: [
        { name: 'SageMakerStudioExecutionRole', path: '/service-role/', trustPolicy: policy('sagemaker-execution-trust.json'), managedPolicies: ['NotebookJobPermissions'] },
        { name: 'NotebookJobExecutionRole', path: '/service-role/', trustPolicy: policy('notebook-job-trust.json'), managedPolicies: ['NotebookJobPermissions', 'NotebookJobKms'] },
      ],
      resourcePolicies: [
        { arn: KEY, policy: policy('kms-key-policy-default.json') },
        { arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-endpoint/${VPCE}`, policy: endpointPolicy },
      ],
    }],
    organization: organization(policy('scp-deny-regions.json')),
  };
  const options = { kmsKeyArn: KEY, vpcEndpointId: VPCE };
  return {
    workflow: 'notebook-job', title: 'SageMaker Studio scheduled notebook job',
    seedNote: 'seeds 000/001 (trust policy, v2 permissions with S3DriverAccess, KMS policy, S3 VPC endpoint statement) and the Organizations region-deny SCP',
    passingNote: 'Two roles: SageMakerStudioExecutionRole and NotebookJobExecutionRole; a KMS key (default key policy) and an S3 VPC endpoint.',
    spec,
    passingRuns: [
      { suffix: '', set: {}, note: 'default parameters' },
      { suffix: '+kms+vpce', set: options, note: 'with the custom KMS key and the S3 VPC endpoint' },
      { suffix: '+same-role', set: { jobRoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/NotebookJobExecutionRole`, studioRoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/NotebookJobExecutionRole` }, note: 'one role as both Studio and job role' },
    ],
    variants: [
      {
        name: 'job-role-not-trusted-by-events',
        fixLayer: 'trust', fixKind: 'modify-statement',
        reason: 'the job role\'s trust policy names only sagemaker.amazonaws.com (seed 003\'s trust policy instead of seed 000/001\'s), so EventBridge cannot assume it.',
        mutate: (s) => { role(s, 'NotebookJobExecutionRole').trustPolicy = policy('sagemaker-execution-trust.json'); },
        failingSteps: ['events-assumes-job-role'],
        fix: 'add {"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sts:AssumeRole"} to the job role\'s trust policy.',
      },
      {
        name: 'passrole-without-events',
        fixLayer: 'identity', fixKind: 'modify-statement',
        reason: 'the iam:PassRole statement of NotebookJobPermissions lists only sagemaker.amazonaws.com in iam:PassedToService.',
        mutate: (s) => { managed(s, 'NotebookJobPermissions').document.Statement[0].Condition.StringLike['iam:PassedToService'] = ['sagemaker.amazonaws.com']; },
        failingSteps: ['studio-passes-job-role-to-events'],
        fix: 'change statement #1 of NotebookJobPermissions: add events.amazonaws.com to its StringLike iam:PassedToService list.',
      },
      {
        name: 'scp-denies-region',
        fixLayer: 'scp', fixKind: 'modify-statement',
        reason: 'the region-deny SCP on the MachineLearning OU allows only eu-central-1, and the job runs in us-east-1.',
        mutate: (s) => { s.organization.policies[0].document.Statement[0].Condition.StringNotEquals['aws:RequestedRegion'] = ['eu-central-1']; },
        failingSteps: [
          'studio-creates-bucket', 'studio-enables-bucket-versioning', 'studio-sets-bucket-encryption', 'studio-uploads-notebook', 'studio-creates-rule',
          'studio-tags-rule', 'studio-sets-rule-target', 'studio-creates-pipeline', 'studio-tags-pipeline', 'studio-reads-user-profile-tags',
          'job-role-starts-pipeline', 'job-role-creates-training-job', 'job-role-tags-training-job', 'job-role-gets-ecr-token', 'job-role-pulls-image',
          'job-role-pulls-image-layers', 'job-role-creates-network-interface', 'job-role-describes-vpcs', 'job-role-reads-notebook', 'job-role-writes-output',
          'job-role-lists-driver-bucket', 'job-role-reads-driver',
        ],
        fix: 'change the Deny "DenyAllOutsideAllowedRegions" of the SCP DenyOutsideApprovedRegions (ou:ou-machinelearning): add us-east-1 to its StringNotEquals aws:RequestedRegion list (iam, sts and kms actions are exempt by its NotAction).',
      },
      {
        name: 'kms-key-policy-excludes-role',
        fixLayer: 'resource', fixKind: 'add-statement',
        set: options,
        reason: 'the key policy of the custom KMS key lets only the KeyAdmin role manage the key and does not delegate to IAM, so it does not admit the job role.',
        mutate: (s) => { resource(s, 'arn:aws:kms:').policy = policy('kms-key-policy-no-iam-delegation.json'); },
        failingSteps: ['job-role-generates-data-key', 'job-role-decrypts', 'job-role-creates-grant'],
        fix: 'add a statement with Principal {"AWS": the job role ARN} and the kms action to the key policy (one per failing step).',
      },
      {
        name: 'endpoint-missing-driver-bucket',
        fixLayer: 'vpc-endpoint', fixKind: 'modify-statement',
        set: options,
        reason: 'the S3 VPC endpoint policy lacks seed 001\'s S3DriverAccess statement, so the sagemakerheadlessexecution-* bucket cannot be reached through the endpoint.',
        mutate: (s) => { const p = resource(s, 'arn:aws:ec2:').policy; p.Statement = p.Statement.filter((st) => st.Sid !== 'S3DriverAccess'); },
        failingSteps: ['job-role-lists-driver-bucket', 'job-role-reads-driver'],
        fix: 'add arn:aws:s3:::sagemakerheadlessexecution-* to the Resource of the endpoint policy\'s statement "AutomatedExecutionBuckets".',
      },
    ],
  };
}

function iotNotebookContainer() {
  const spec = {
    accounts: [{
      id: ACCOUNT, name: 'iot-analytics',
      roles: [
        {
          name: 'IoTNotebookContainerizeRole', path: '/service-role/', trustPolicy: policy('sagemaker-execution-trust.json'),
          managedPolicies: ['AmazonSageMakerFullAccess'], policies: { ContainerizeNotebook: policy('iot-notebook-containerize.json') },
        },
        {
          name: 'IoTContainerExecutionRole', path: '/service-role/', trustPolicy: policy('iot-container-execution-trust.json'),
          policies: { ExecuteContainer: policy('iot-container-execution.json') },
        },
      ],
    }],
  };
  return {
    workflow: 'iot-notebook-container', title: 'IoT Analytics notebook containerization',
    seedNote: 'seed 002 (containerizing policy added to AmazonSageMakerFullAccess, container execution policy and trust policy)',
    passingNote: 'Two roles: IoTNotebookContainerizeRole (a SageMaker notebook instance role) and IoTContainerExecutionRole.',
    spec,
    passingRuns: [{ suffix: '', set: {}, note: 'default parameters' }],
    variants: [
      {
        name: 'execution-role-not-trusted-by-iotanalytics',
        fixLayer: 'trust', fixKind: 'modify-statement',
        reason: 'the container execution role\'s trust policy names only sagemaker.amazonaws.com.',
        mutate: (s) => { role(s, 'IoTContainerExecutionRole').trustPolicy.Statement[0].Principal.Service = ['sagemaker.amazonaws.com']; },
        failingSteps: ['iotanalytics-assumes-execution-role'],
        fix: 'add {"Effect":"Allow","Principal":{"Service":"iotanalytics.amazonaws.com"},"Action":"sts:AssumeRole"} to the execution role\'s trust policy.',
      },
      {
        name: 'execution-policy-without-bucket-statement',
        fixLayer: 'identity', fixKind: 'add-statement',
        reason: 'the execution policy lacks its last statement (s3:GetBucketLocation, s3:ListBucket, s3:ListAllMyBuckets on *); the first statement names only objects (aws-*-dataset-*/*), not the bucket.',
        mutate: (s) => { role(s, 'IoTContainerExecutionRole').policies.ExecuteContainer.Statement.pop(); },
        failingSteps: ['execution-role-locates-output-bucket'],
        fix: 'add an Allow for s3:GetBucketLocation on the output bucket to an inline policy of the execution role.',
      },
      {
        name: 'containerize-role-without-seed-policy',
        fixLayer: 'identity', fixKind: 'add-statement',
        reason: 'the containerizing role has only AmazonSageMakerFullAccess, without seed 002\'s ECR and S3 policy.',
        mutate: (s) => { delete role(s, 'IoTNotebookContainerizeRole').policies; },
        failingSteps: CONTAINERIZE_FAILS,
        fix: 'add an Allow for each failing action (on the repository, or on arn:aws:s3:::iotanalytics-notebook-containers/*) to an inline policy of the containerizing role.',
      },
    ],
  };
}

// AmazonSageMakerFullAccess already allows ecr:CreateRepository and ecr:GetAuthorizationToken.
const CONTAINERIZE_FAILS = ['containerize-role-reads-extension', 'containerize-role-starts-layer-upload',
  'containerize-role-uploads-layer', 'containerize-role-completes-layer-upload', 'containerize-role-pushes-image'];

function sagemakerExecutionRole() {
  const training = policy('training-job-scoped.json');
  // Completed: objects under the output path, and ECR ARNs with Region and account (the published ones have neither).
  training.Statement[2].Resource.push('arn:aws:s3:::outputbucket/path/*');
  training.Statement[3].Resource = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/my-repo`;
  const spec = {
    accounts: [{
      id: ACCOUNT, name: 'ml-training',
      roles: [
        {
          name: 'NotebookInstanceRole', path: '/service-role/', trustPolicy: policy('sagemaker-execution-trust.json'),
          policies: { CreateNotebookInstanceScoped: policy('create-notebook-instance-scoped.json') },
        },
        {
          name: 'SageMakerExecutionRole', path: '/service-role/', trustPolicy: policy('sagemaker-execution-trust.json'),
          policies: {
            TrainingJobScoped: training, PrivateVpc: policy('sagemaker-job-vpc.json'), KmsDecrypt: policy('sagemaker-job-kms-decrypt.json'),
            KmsEncrypt: policy('sagemaker-job-kms-encrypt.json'), KmsCreateGrant: policy('sagemaker-job-kms-creategrant.json'),
          },
        },
      ],
      resourcePolicies: [{ arn: KEY, policy: policy('kms-key-policy-default.json') }],
    }],
  };
  const kms = { inputKmsKeyArn: KEY, outputKmsKeyArn: KEY, volumeKmsKeyArn: KEY };
  const apis = ['CreateProcessingJob', 'CreateHyperParameterTuningJob', 'CreateModel', 'CreateNotebookInstance'];
  return {
    workflow: 'sagemaker-execution-role', title: 'SageMaker execution role for a Create* API',
    seedNote: 'seed 003 (trust policy, scoped CreateNotebookInstance and CreateTrainingJob policies, private VPC and KMS additions)',
    passingNote: 'NotebookInstanceRole calls the API and passes SageMakerExecutionRole. The scoped training policy is completed:\noutputbucket/path/* added, and the ECR repository ARN given its Region and account.',
    spec,
    passingRuns: [
      { suffix: '', set: {}, note: 'CreateTrainingJob, default parameters' },
      { suffix: '+vpc+kms', set: { subnetId: 'subnet-0123456789abcdef0', ...kms }, note: 'private VPC and all three KMS keys' },
      ...apis.map((api) => ({ suffix: `+${api}`, set: { api }, note: api })),
    ],
    variants: [
      {
        name: 'ecr-arn-as-published',
        fixLayer: 'identity', fixKind: 'modify-statement',
        reason: 'the ECR statement keeps the published ARN arn:aws:ecr:::repository/my-repo, which has no Region or account and so matches no repository.',
        mutate: (s) => { role(s, 'SageMakerExecutionRole').policies.TrainingJobScoped.Statement[3].Resource = 'arn:aws:ecr:::repository/my-repo'; },
        failingSteps: ['execution-role-checks-image-layers', 'execution-role-downloads-image-layers', 'execution-role-pulls-image'],
        fix: 'one edit for the three steps: in statement #4 of TrainingJobScoped, change arn:aws:ecr:::repository/my-repo to arn:aws:ecr:us-east-1:111122223333:repository/my-repo.',
      },
      {
        name: 'output-path-as-published',
        fixLayer: 'identity', fixKind: 'modify-statement',
        reason: 'the S3 statement names arn:aws:s3:::outputbucket/path as published, not the objects under it.',
        mutate: (s) => { role(s, 'SageMakerExecutionRole').policies.TrainingJobScoped.Statement[2].Resource.pop(); },
        failingSteps: ['execution-role-writes-output'],
        fix: 'in statement #3 of TrainingJobScoped, change arn:aws:s3:::outputbucket/path to arn:aws:s3:::outputbucket/path/*.',
      },
      {
        name: 'seed-003-as-published',
        fixLayer: 'identity', fixKind: 'modify-statement',
        reason: 'seed 003\'s scoped CreateTrainingJob policy exactly as published: the ECR statement names arn:aws:ecr:::repository/my-repo (no Region, no account) and the output resource arn:aws:s3:::outputbucket/path has no wildcard.',
        mutate: (s) => { role(s, 'SageMakerExecutionRole').policies.TrainingJobScoped = policy('training-job-scoped.json'); },
        failingSteps: ['execution-role-writes-output', 'execution-role-checks-image-layers', 'execution-role-downloads-image-layers', 'execution-role-pulls-image'],
        fix: 'two edits in the published policy, fixing all four steps: statement #3 arn:aws:s3:::outputbucket/path → arn:aws:s3:::outputbucket/path/*; statement #4 arn:aws:ecr:::repository/my-repo → arn:aws:ecr:us-east-1:111122223333:repository/my-repo.',
      },
      {
        name: 'boundary-without-logs',
        fixLayer: 'boundary', fixKind: 'modify-statement',
        reason: 'the execution role has a permissions boundary whose Allow lists the services the job uses but not CloudWatch Logs, so the job cannot write its logs.',
        mutate: (s) => {
          s.accounts[0].policies = [{ name: 'MLJobBoundary', document: {
            Version: '2012-10-17',
            Statement: [{ Sid: 'JobServices', Effect: 'Allow', Action: ['s3:*', 'ecr:*', 'sagemaker:*', 'kms:*', 'ec2:*', 'cloudwatch:PutMetricData'], Resource: '*' }],
          } }];
          role(s, 'SageMakerExecutionRole').permissionsBoundary = 'MLJobBoundary';
        },
        failingSteps: ['execution-role-writes-logs'],
        fix: 'in statement "JobServices" of the boundary MLJobBoundary, add logs:PutLogEvents to its Action list.',
      },
      {
        name: 'kms-key-policy-excludes-role',
        fixLayer: 'resource', fixKind: 'add-statement',
        set: kms,
        reason: 'the KMS key policy does not delegate to IAM and does not name the execution role.',
        mutate: (s) => { s.accounts[0].resourcePolicies[0].policy = policy('kms-key-policy-no-iam-delegation.json'); },
        failingSteps: ['execution-role-decrypts-input', 'execution-role-encrypts-output', 'execution-role-creates-volume-grant'],
        fix: 'add a statement with Principal {"AWS": the execution role ARN} and the kms action to the key policy (one per failing step).',
      },
    ],
  };
}

function mlspaceNotebook() {
  const published = policy('mlspace-notebook-policy.json');
  const corrected = structuredClone(published);
  // Statement 6 as meant: CreateEndpointConfig, with statement 5's tag conditions.
  corrected.Statement[5] = { ...structuredClone(published.Statement[4]), Action: 'sagemaker:CreateEndpointConfig', Resource: published.Statement[5].Resource };
  const trust = policy('sagemaker-execution-trust.json');
  const spec = {
    accounts: [{
      id: '012345678910', name: 'mlspace',
      roles: [
        { name: 'MLSpaceNotebookRole', trustPolicy: trust, policies: { MLSpaceNotebookPolicy: corrected } },
        // The role the notebook passes to Amazon Translate (the workflow's translateRoleArn): preflight needs it to exist.
        {
          name: 'MLSpaceTranslateRole',
          trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'translate.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        },
      ],
    }],
  };
  return {
    workflow: 'mlspace-notebook', title: 'MLSpace governed notebook',
    seedNote: 'seed 004 (the MLSpace notebook policy, statement 6 corrected)',
    passingNote: 'The notebook policy as published, except statement 6: CreateEndpointConfig (not CreateEndpoint) with statement 5\'s tag conditions.',
    spec,
    passingRuns: [{ suffix: '', set: {}, note: 'default parameters' }],
    variants: [
      {
        name: 'statement-6-as-published',
        fixLayer: 'identity', fixKind: 'add-statement',
        reason: 'statement 6 as published allows sagemaker:CreateEndpoint on endpoint-config/*, so no statement allows CreateEndpointConfig.',
        mutate: (s) => { s.accounts[0].roles[0].policies.MLSpaceNotebookPolicy = published; },
        failingSteps: ['create-endpoint-config-tagged'],
        fix: 'add an Allow for sagemaker:CreateEndpointConfig on endpoint-config/* with the user/project/system tag conditions to an inline policy of the notebook role.',
      },
      {
        name: 'statement-6-without-tag-conditions',
        fixLayer: 'identity', fixKind: 'modify-statement',
        reason: 'statement 6 names CreateEndpointConfig but, as published, has no tag conditions, so an endpoint config carrying only the user tag is allowed (statement 12 denies only when every tag is missing).',
        mutate: (s) => { delete s.accounts[0].roles[0].policies.MLSpaceNotebookPolicy.Statement[5].Condition; },
        failingSteps: ['create-endpoint-config-user-tag-only'],
        fix: 'add statement 5\'s Null (user, project) and StringEqualsIgnoreCase (system) conditions to statement 6.',
      },
    ],
  };
}

export function specs() {
  return [notebookJob(), iotNotebookContainer(), sagemakerExecutionRole(), mlspaceNotebook()];
}
