/** The last part of an ARN (a user's, role's or resource's name), for labels; anything else as it is. */
export function shortName(id: string): string {
  if (!id.startsWith('arn:')) return id;
  const slash = id.lastIndexOf('/');
  return slash >= 0 ? id.slice(slash + 1) : id.slice(id.lastIndexOf(':') + 1) || id;
}
