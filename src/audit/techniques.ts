/**
 * Privilege-escalation techniques, as data: the one list both the account
 * audit's escalation graph (src/audit/graph.ts) and `lint --principal`
 * (src/analyze/privesc.ts) use. Sources: IAM User Guide id_roles_use_passrole
 * (passing a role to a service that then runs the caller's code),
 * access_policies_managed-versioning (policy versions),
 * id_credentials_access-keys / id_credentials_passwords_admin-change-user
 * (credentials of another user), id_groups_manage_add-remove-users, and the
 * services' own guides for code that runs as a role (Lambda execution role,
 * EC2 instance profiles, Glue development endpoints, CloudFormation service
 * roles, Data Pipeline, CodeBuild service roles, ECS task roles, SageMaker
 * execution roles, Systems Manager Run Command / Session Manager, EC2
 * Instance Connect), and access_policies_boundaries (a permissions boundary
 * sets the most an identity-based policy can grant: deleting it, or putting a
 * broader managed policy in its place — the iam:PermissionsBoundary key names
 * the policy being set — frees the principal's own policies). Batch (job
 * roles run as ECS tasks), EMR (a service role and an EC2 instance profile
 * role), EMR Serverless, GameLift, Image Builder, Kinesis Data Analytics,
 * HealthOmics and Braket execution roles, CodeDeploy (the agent runs hook
 * scripts on EC2 instances), Cognito identity pools (Cognito developer guide,
 * role-based access control) and ECS container instances follow
 * pathfinding.cloud's catalogue (ids in `catalog`) and the services' guides.
 */

export type TechniqueKind =
  /** Edit the permissions of a principal (inline/attached policies); `target` says which kind. */
  | 'edit-policy'
  /** Rewrite or switch versions of a customer managed policy attached to a principal. */
  | 'policy-version'
  /** Add a user to a group with more permissions. */
  | 'group-join'
  /** Create credentials for another user (access keys, console password). */
  | 'credentials'
  /** Rewrite a role's trust policy, then assume it. */
  | 'trust-edit'
  /** sts:AssumeRole (trust policy and, where needed, the caller's own permissions). */
  | 'assume-role'
  /** Pass a role to a service that runs the caller's code as that role. */
  | 'pass-role'
  /** Run code on existing compute that runs as a role the service can assume. */
  | 'existing-compute'
  /** Delete or replace the permissions boundary that limits a user or role (`target`), then act as it. */
  | 'boundary';

export interface Technique {
  readonly id: string;
  readonly kind: TechniqueKind;
  /** Actions the caller needs (besides iam:PassRole for `pass-role`), all of them. */
  readonly actions: readonly string[];
  /** `pass-role`/`existing-compute`: the service principal the role is passed to / that runs the compute. */
  readonly service?: string;
  /** `edit-policy`, `boundary`: whose policies or boundary the action edits. */
  readonly target?: 'user' | 'group' | 'role';
  /** `pass-role`: the technique changes a resource that must already exist (a job, a project, a stack set). */
  readonly needsExisting?: boolean;
  /**
   * `pass-role`: the call also passes a second role, to this service (EMR's service role next to the instance
   * profile role): some role of the account that service can assume must exist and be passable. It is not the target.
   */
  readonly alsoPasses?: string;
  /**
   * `pass-role` to an Amazon Cognito identity pool: the role is reached by assuming it with a web identity token
   * of the pool (sts:AssumeRoleWithWebIdentity from cognito-identity.amazonaws.com), unauthenticated or authenticated.
   */
  readonly webIdentity?: 'unauthenticated' | 'authenticated';
  /** What an attacker does, in one line. */
  readonly summary: string;
  /** Where the technique is catalogued: pathfinding.cloud ids, Rhino Security Labs / cloudsplaining names. */
  readonly catalog?: readonly string[];
}

const t = (id: string, kind: TechniqueKind, actions: readonly string[], summary: string, extra: Partial<Technique> = {}): Technique => ({
  id,
  kind,
  actions,
  summary,
  ...extra,
});

const SM = 'sagemaker.amazonaws.com';
const EC2 = 'ec2.amazonaws.com';
const GLUE = 'glue.amazonaws.com';
const CB = 'codebuild.amazonaws.com';
const CFN = 'cloudformation.amazonaws.com';
const ECS = 'ecs-tasks.amazonaws.com';
const SFN = 'states.amazonaws.com';
const APPRUNNER = 'tasks.apprunner.amazonaws.com';
const AGENTCORE = 'bedrock-agentcore.amazonaws.com';
const COGNITO = 'cognito-identity.amazonaws.com';

export const TECHNIQUES: readonly Technique[] = [
  // Editing permissions.
  t('iam-put-user-policy', 'edit-policy', ['iam:PutUserPolicy'], 'write an inline policy granting anything to a user', { target: 'user' }),
  t('iam-attach-user-policy', 'edit-policy', ['iam:AttachUserPolicy'], 'attach any managed policy (AdministratorAccess) to a user', { target: 'user' }),
  t('iam-put-group-policy', 'edit-policy', ['iam:PutGroupPolicy'], 'write an inline policy granting anything to a group', { target: 'group' }),
  t('iam-attach-group-policy', 'edit-policy', ['iam:AttachGroupPolicy'], 'attach any managed policy to a group', { target: 'group' }),
  t('iam-put-role-policy', 'edit-policy', ['iam:PutRolePolicy'], 'write an inline policy granting anything to a role', { target: 'role' }),
  t('iam-attach-role-policy', 'edit-policy', ['iam:AttachRolePolicy'], 'attach any managed policy to a role', { target: 'role' }),
  t('iam-create-policy-version', 'policy-version', ['iam:CreatePolicyVersion'], 'give a customer managed policy a new default version granting anything'),
  t(
    'iam-set-default-policy-version',
    'policy-version',
    ['iam:SetDefaultPolicyVersion'],
    'make a more permissive old version of a customer managed policy the default',
  ),
  t('iam-add-user-to-group', 'group-join', ['iam:AddUserToGroup'], 'join a group with more permissions'),
  // Permissions boundaries (what a boundary-limited principal can do once it is gone).
  t(
    'iam-delete-user-permissions-boundary',
    'boundary',
    ['iam:DeleteUserPermissionsBoundary'],
    "delete a user's permissions boundary so its own policies apply in full",
    {
      target: 'user',
    },
  ),
  t(
    'iam-delete-role-permissions-boundary',
    'boundary',
    ['iam:DeleteRolePermissionsBoundary'],
    "delete a role's permissions boundary so its own policies apply in full",
    {
      target: 'role',
    },
  ),
  t(
    'iam-put-user-permissions-boundary',
    'boundary',
    ['iam:PutUserPermissionsBoundary'],
    "replace a user's permissions boundary with a broader managed policy (AdministratorAccess)",
    { target: 'user' },
  ),
  t(
    'iam-put-role-permissions-boundary',
    'boundary',
    ['iam:PutRolePermissionsBoundary'],
    "replace a role's permissions boundary with a broader managed policy (AdministratorAccess)",
    { target: 'role' },
  ),
  // Credentials of another principal.
  t('iam-create-access-key', 'credentials', ['iam:CreateAccessKey'], 'create access keys for another user and act as them'),
  t('iam-create-login-profile', 'credentials', ['iam:CreateLoginProfile'], 'set a console password for another user and sign in as them'),
  t('iam-update-login-profile', 'credentials', ['iam:UpdateLoginProfile'], "change another user's console password and sign in as them"),
  // Roles.
  t('sts-assume-role', 'assume-role', ['sts:AssumeRole'], 'assume a role'),
  t('iam-update-assume-role-policy', 'trust-edit', ['iam:UpdateAssumeRolePolicy'], "rewrite a role's trust policy to trust themselves, then assume it"),
  // Passing a role to a service that runs the caller's code.
  t('ec2-run-instances', 'pass-role', ['ec2:RunInstances'], 'start an instance whose profile role they choose (and run code through user data)', {
    service: 'ec2.amazonaws.com',
  }),
  t('lambda-create-invoke', 'pass-role', ['lambda:CreateFunction', 'lambda:InvokeFunction'], 'create a Lambda function with a role they choose and invoke it', {
    service: 'lambda.amazonaws.com',
  }),
  t(
    'lambda-create-event-source',
    'pass-role',
    ['lambda:CreateFunction', 'lambda:CreateEventSourceMapping'],
    'create a Lambda function with a role they choose and trigger it from an event source (DynamoDB stream, queue)',
    { service: 'lambda.amazonaws.com' },
  ),
  t('glue-create-dev-endpoint', 'pass-role', ['glue:CreateDevEndpoint'], 'open a Glue development endpoint that runs as a role they choose', {
    service: 'glue.amazonaws.com',
  }),
  t('cloudformation-create-stack', 'pass-role', ['cloudformation:CreateStack'], 'create any resource through a stack that runs as a role they choose', {
    service: 'cloudformation.amazonaws.com',
  }),
  t(
    'datapipeline-create-pipeline',
    'pass-role',
    ['datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition', 'datapipeline:ActivatePipeline'],
    'run commands from a Data Pipeline that runs as a role they choose',
    { service: 'datapipeline.amazonaws.com' },
  ),
  t(
    'codebuild-create-project',
    'pass-role',
    ['codebuild:CreateProject', 'codebuild:StartBuild'],
    'run a build whose buildspec they write with a service role they choose',
    { service: 'codebuild.amazonaws.com' },
  ),
  t('ecs-run-task', 'pass-role', ['ecs:RegisterTaskDefinition', 'ecs:RunTask'], 'run a container with a task role they choose', {
    service: 'ecs-tasks.amazonaws.com',
  }),
  t(
    'sagemaker-create-notebook',
    'pass-role',
    ['sagemaker:CreateNotebookInstance', 'sagemaker:CreatePresignedNotebookInstanceUrl'],
    'start a notebook instance that runs as a role they choose and open it',
    { service: SM },
  ),
  t('sagemaker-create-training-job', 'pass-role', ['sagemaker:CreateTrainingJob'], 'run a training job with their own code as a role they choose', {
    service: SM,
  }),
  t('sagemaker-create-processing-job', 'pass-role', ['sagemaker:CreateProcessingJob'], 'run a processing job with their own code as a role they choose', {
    service: SM,
  }),
  t('sagemaker-create-tuning-job', 'pass-role', ['sagemaker:CreateHyperParameterTuningJob'], 'run tuning jobs with their own code as a role they choose', {
    service: SM,
  }),
  t(
    'sagemaker-create-pipeline',
    'pass-role',
    ['sagemaker:CreatePipeline', 'sagemaker:StartPipelineExecution'],
    'run a SageMaker pipeline with their own steps as a role they choose',
    { service: SM },
  ),
  t(
    'sagemaker-studio-profile',
    'pass-role',
    ['sagemaker:CreateUserProfile', 'sagemaker:CreatePresignedDomainUrl'],
    'open a Studio user profile that runs as a role they choose',
    { service: SM },
  ),
  // More services that run the caller's code as a role it passes (pathfinding.cloud's catalogue, 2026).
  t(
    'ec2-request-spot-instances',
    'pass-role',
    ['ec2:RequestSpotInstances'],
    'request a spot instance whose profile role they choose (and run code through user data)',
    {
      service: EC2,
      catalog: ['ec2-003'],
    },
  ),
  t(
    'autoscaling-launch-configuration',
    'pass-role',
    ['autoscaling:CreateLaunchConfiguration', 'autoscaling:CreateAutoScalingGroup'],
    'create a launch configuration with an instance profile role they choose and user data, and a group that launches it',
    { service: EC2 },
  ),
  t(
    'autoscaling-launch-template',
    'pass-role',
    ['ec2:CreateLaunchTemplate', 'autoscaling:CreateAutoScalingGroup'],
    'create a launch template with an instance profile role they choose and user data, and a group that launches it',
    { service: EC2 },
  ),
  t('glue-create-job', 'pass-role', ['glue:CreateJob', 'glue:StartJobRun'], 'create a Glue job running their script as a role they choose, and run it', {
    service: GLUE,
    catalog: ['glue-003'],
  }),
  t(
    'glue-create-job-trigger',
    'pass-role',
    ['glue:CreateJob', 'glue:CreateTrigger'],
    'create a Glue job running their script as a role they choose, and a trigger that starts it',
    {
      service: GLUE,
      catalog: ['glue-004'],
    },
  ),
  t('glue-update-job', 'pass-role', ['glue:UpdateJob', 'glue:StartJobRun'], "change an existing Glue job's script and role, and run it", {
    service: GLUE,
    needsExisting: true,
    catalog: ['glue-005'],
  }),
  t(
    'glue-update-job-trigger',
    'pass-role',
    ['glue:UpdateJob', 'glue:CreateTrigger'],
    "change an existing Glue job's script and role, and a trigger that starts it",
    {
      service: GLUE,
      needsExisting: true,
      catalog: ['glue-006'],
    },
  ),
  t(
    'glue-create-session',
    'pass-role',
    ['glue:CreateSession', 'glue:RunStatement'],
    'open a Glue interactive session as a role they choose and run their statements',
    {
      service: GLUE,
      catalog: ['glue-007'],
    },
  ),
  t(
    'codebuild-create-project-batch',
    'pass-role',
    ['codebuild:CreateProject', 'codebuild:StartBuildBatch'],
    'run a batch build whose buildspec they write with a service role they choose',
    {
      service: CB,
      catalog: ['codebuild-004'],
    },
  ),
  t(
    'codebuild-update-project',
    'pass-role',
    ['codebuild:UpdateProject', 'codebuild:StartBuild'],
    'give an existing CodeBuild project a service role they choose and their buildspec, and build it',
    {
      service: CB,
      needsExisting: true,
    },
  ),
  t(
    'stepfunctions-create-state-machine',
    'pass-role',
    ['states:CreateStateMachine', 'states:StartExecution'],
    'create a state machine whose tasks call AWS as a role they choose, and start it',
    {
      service: SFN,
    },
  ),
  t(
    'stepfunctions-update-state-machine',
    'pass-role',
    ['states:UpdateStateMachine', 'states:StartExecution'],
    "change an existing state machine's definition and role, and start it",
    {
      service: SFN,
      needsExisting: true,
    },
  ),
  t(
    'cloudformation-create-stack-set',
    'pass-role',
    ['cloudformation:CreateStackSet', 'cloudformation:CreateStackInstances'],
    'create a stack set administered by a role they choose and deploy it',
    {
      service: CFN,
      catalog: ['cloudformation-003'],
    },
  ),
  t('cloudformation-update-stack-set', 'pass-role', ['cloudformation:UpdateStackSet'], "change an existing stack set's template and administration role", {
    service: CFN,
    needsExisting: true,
    catalog: ['cloudformation-004'],
  }),
  t('ecs-create-service', 'pass-role', ['ecs:RegisterTaskDefinition', 'ecs:CreateService'], 'run a service of containers with a task role they choose', {
    service: ECS,
    catalog: ['ecs-001', 'ecs-003'],
  }),
  t('ecs-start-task', 'pass-role', ['ecs:RegisterTaskDefinition', 'ecs:StartTask'], 'start a container with a task role they choose on a container instance', {
    service: ECS,
    catalog: ['ecs-005'],
  }),
  t('ecs-run-task-override', 'pass-role', ['ecs:RunTask'], 'run an existing task definition with its task role and command overridden', {
    service: ECS,
    needsExisting: true,
    catalog: ['ecs-008'],
  }),
  t(
    'lambda-create-add-permission',
    'pass-role',
    ['lambda:CreateFunction', 'lambda:AddPermission'],
    'create a Lambda function with a role they choose and let another principal or service invoke it',
    {
      service: 'lambda.amazonaws.com',
      catalog: ['lambda-006'],
    },
  ),
  t(
    'ssm-automation',
    'pass-role',
    ['ssm:CreateDocument', 'ssm:StartAutomationExecution'],
    'run an Automation runbook with their script as a role they choose',
    {
      service: 'ssm.amazonaws.com',
      catalog: ['ssm-003'],
    },
  ),
  t('apprunner-create-service', 'pass-role', ['apprunner:CreateService'], 'run an App Runner service whose instance role they choose', {
    service: APPRUNNER,
    catalog: ['apprunner-001'],
  }),
  t(
    'bedrock-agentcore-code-interpreter',
    'pass-role',
    ['bedrock-agentcore:CreateCodeInterpreter', 'bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'],
    'create an AgentCore code interpreter running as a role they choose and run code in it',
    { service: AGENTCORE, catalog: ['bedrock-001'] },
  ),
  // Batch, EMR, analytics and ML services, Cognito (pathfinding.cloud 2026). iam:PassedToService names the service
  // that finally assumes the role (IAM User Guide reference_policies_iam-condition-keys): a Batch job role is
  // assumed by ECS tasks and an EMR or Image Builder instance profile role by EC2 (the AWS managed policies
  // BatchServiceRolePolicy, AmazonEMRFullAccessPolicy_v2 and AWSImageBuilderFullAccess condition on exactly these).
  t(
    'batch-create-environment',
    'pass-role',
    ['batch:CreateComputeEnvironment', 'batch:CreateJobQueue', 'batch:RegisterJobDefinition', 'batch:SubmitJob'],
    'build a Batch compute environment and job queue, and run a job definition with a job role they choose',
    { service: ECS, catalog: ['batch-003'] },
  ),
  t(
    'batch-register-submit',
    'pass-role',
    ['batch:RegisterJobDefinition', 'batch:SubmitJob'],
    'register a Batch job definition with a job role they choose and submit it to an existing job queue',
    { service: ECS, needsExisting: true, catalog: ['batch-001'] },
  ),
  t(
    'emr-run-job-flow',
    'pass-role',
    ['elasticmapreduce:RunJobFlow'],
    'start an EMR cluster whose instance profile role they choose (passing an EMR service role too), with a step running their commands',
    { service: EC2, alsoPasses: 'elasticmapreduce.amazonaws.com', catalog: ['emr-001'] },
  ),
  t(
    'emr-serverless-job-run',
    'pass-role',
    ['emr-serverless:CreateApplication', 'emr-serverless:StartJobRun'],
    'create an EMR Serverless application and run their Spark job with an execution role they choose',
    { service: 'emr-serverless.amazonaws.com', catalog: ['emrserverless-001'] },
  ),
  t(
    'gamelift-create-fleet',
    'pass-role',
    ['gamelift:CreateBuild', 'gamelift:RequestUploadCredentials', 'gamelift:CreateFleet'],
    'upload a game server build and start a GameLift fleet running it with an instance role they choose',
    { service: 'gamelift.amazonaws.com', catalog: ['gamelift-001'] },
  ),
  t(
    'imagebuilder-create-image',
    'pass-role',
    ['imagebuilder:CreateComponent', 'imagebuilder:CreateImageRecipe', 'imagebuilder:CreateInfrastructureConfiguration', 'imagebuilder:CreateImage'],
    'build an image whose component runs their commands on a build instance with an instance profile role they choose',
    { service: EC2, catalog: ['imagebuilder-001'] },
  ),
  t(
    'kinesisanalytics-create-application',
    'pass-role',
    ['kinesisanalytics:CreateApplication', 'kinesisanalytics:StartApplication'],
    'create and start a Managed Apache Flink (Kinesis Data Analytics) application running their code with a service execution role they choose',
    { service: 'kinesisanalytics.amazonaws.com', catalog: ['kinesisanalytics-001'] },
  ),
  t('omics-start-run', 'pass-role', ['omics:CreateWorkflow', 'omics:StartRun'], 'create a HealthOmics workflow and run it with a role they choose', {
    service: 'omics.amazonaws.com',
    catalog: ['omics-001'],
  }),
  t('braket-create-job', 'pass-role', ['braket:CreateJob'], 'run a Braket hybrid job with their script and an execution role they choose', {
    service: 'braket.amazonaws.com',
    catalog: ['braket-001'],
  }),
  t(
    'ecs-register-container-instance',
    'pass-role',
    ['ecs:RegisterContainerInstance', 'ecs:StartTask'],
    'register an EC2 instance they control in an existing cluster and start an existing task definition on it with a task role they choose',
    { service: ECS, needsExisting: true, catalog: ['ecs-007'] },
  ),
  t(
    'ecs-start-task-override',
    'pass-role',
    ['ecs:StartTask'],
    'start an existing task definition on an existing container instance with its task role and command overridden',
    { service: ECS, needsExisting: true, catalog: ['ecs-009'] },
  ),
  t(
    'cognito-set-identity-pool-roles',
    'pass-role',
    ['cognito-identity:SetIdentityPoolRoles'],
    'make a role the unauthenticated role of an existing identity pool, then get its credentials as an unauthenticated identity',
    { service: COGNITO, webIdentity: 'unauthenticated', needsExisting: true, catalog: ['cognitoidentity-001'] },
  ),
  t(
    'cognito-developer-identity',
    'pass-role',
    ['cognito-identity:UpdateIdentityPool', 'cognito-identity:SetIdentityPoolRoles', 'cognito-identity:GetOpenIdTokenForDeveloperIdentity'],
    'make a role the authenticated role of an existing identity pool, give the pool a developer provider, and sign in through it',
    { service: COGNITO, webIdentity: 'authenticated', needsExisting: true },
  ),
  // Code on existing compute that runs as a role (the export does not list the compute; see docs/audit.md).
  t('lambda-update-function-code', 'existing-compute', ['lambda:UpdateFunctionCode'], "replace a Lambda function's code and run it as the function's role", {
    service: 'lambda.amazonaws.com',
  }),
  t('glue-update-dev-endpoint', 'existing-compute', ['glue:UpdateDevEndpoint'], 'add their SSH key to a Glue development endpoint and use its role', {
    service: 'glue.amazonaws.com',
  }),
  t('cloudformation-update-stack', 'existing-compute', ['cloudformation:UpdateStack'], "change a stack's template so its service role creates what they want", {
    service: 'cloudformation.amazonaws.com',
  }),
  t('ssm-send-command', 'existing-compute', ['ssm:SendCommand'], 'run commands on an instance and use its instance profile role', {
    service: 'ec2.amazonaws.com',
  }),
  t('ssm-start-session', 'existing-compute', ['ssm:StartSession'], 'open a shell on an instance and use its instance profile role', {
    service: 'ec2.amazonaws.com',
  }),
  t(
    'ec2-instance-connect',
    'existing-compute',
    ['ec2-instance-connect:SendSSHPublicKey'],
    'push an SSH key to an instance, log in and use its instance profile role',
    { service: 'ec2.amazonaws.com' },
  ),
  t(
    'codebuild-start-build',
    'existing-compute',
    ['codebuild:StartBuild'],
    "start a build of an existing project with their buildspec, as the project's service role",
    {
      service: CB,
      catalog: ['codebuild-002'],
    },
  ),
  t(
    'codebuild-start-build-batch',
    'existing-compute',
    ['codebuild:StartBuildBatch'],
    'start a batch build of an existing project with their buildspec, as its service role',
    {
      service: CB,
      catalog: ['codebuild-003'],
    },
  ),
  t(
    'ec2-launch-template-version',
    'existing-compute',
    ['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'],
    'make their user data the default version of an existing launch template with an instance profile',
    { service: EC2, catalog: ['ec2-005'] },
  ),
  t(
    'ec2-modify-user-data',
    'existing-compute',
    ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:StartInstances'],
    "replace an instance's user data and restart it to run code as its instance profile role",
    { service: EC2, catalog: ['ec2-002'] },
  ),
  t(
    'cloudformation-change-set',
    'existing-compute',
    ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'],
    'change an existing stack through a change set that its service role carries out',
    { service: CFN, catalog: ['cloudformation-005'] },
  ),
  t('ecs-execute-command', 'existing-compute', ['ecs:ExecuteCommand', 'ecs:DescribeTasks'], 'open a shell in a running container and use its task role', {
    service: ECS,
    catalog: ['ecs-006'],
  }),
  t(
    'apprunner-update-service',
    'existing-compute',
    ['apprunner:UpdateService'],
    "change an existing App Runner service's image or command and use its instance role",
    {
      service: APPRUNNER,
      catalog: ['apprunner-002'],
    },
  ),
  t(
    'bedrock-agentcore-existing-interpreter',
    'existing-compute',
    ['bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'],
    'run code in an existing AgentCore code interpreter and use its role',
    { service: AGENTCORE, catalog: ['bedrock-002'] },
  ),
  t('batch-submit-job', 'existing-compute', ['batch:SubmitJob'], 'submit a job of an existing job definition with their command, as its job role', {
    service: ECS,
    catalog: ['batch-002'],
  }),
  t(
    'codedeploy-create-deployment',
    'existing-compute',
    ['codedeploy:RegisterApplicationRevision', 'codedeploy:GetDeploymentConfig', 'codedeploy:CreateDeployment'],
    'deploy a revision whose lifecycle hook runs their script, through the CodeDeploy agent, on instances of an existing deployment group, as their instance profile role',
    { service: EC2, catalog: ['codedeploy-001'] },
  ),
  t(
    'sagemaker-presigned-notebook-url',
    'existing-compute',
    ['sagemaker:CreatePresignedNotebookInstanceUrl'],
    'open a notebook instance and act as its execution role',
    { service: SM },
  ),
  t(
    'sagemaker-update-lifecycle-config',
    'existing-compute',
    ['sagemaker:UpdateNotebookInstanceLifecycleConfig', 'sagemaker:StopNotebookInstance', 'sagemaker:StartNotebookInstance'],
    "replace a notebook's lifecycle script and restart it to run code as its role",
    { service: SM },
  ),
  t(
    'sagemaker-attach-lifecycle-config',
    'existing-compute',
    [
      'sagemaker:CreateNotebookInstanceLifecycleConfig',
      'sagemaker:UpdateNotebookInstance',
      'sagemaker:StopNotebookInstance',
      'sagemaker:StartNotebookInstance',
    ],
    'attach a new lifecycle script to a notebook and restart it to run code as its role',
    { service: SM },
  ),
];

export function techniqueById(id: string): Technique | undefined {
  return TECHNIQUES.find((x) => x.id === id);
}

/** Every action some technique needs (with iam:PassRole): the ones worth checking per principal. */
export function techniqueActions(): readonly string[] {
  return [...new Set(['iam:PassRole', ...TECHNIQUES.flatMap((x) => x.actions)])];
}
