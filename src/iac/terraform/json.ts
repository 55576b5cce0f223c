/** The JSON values of a Terraform plan. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function isObj(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
