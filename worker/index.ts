import { DurableObject } from "cloudflare:workers";
export class VisitorObject extends DurableObject {}
export class SiteObject extends DurableObject {}
export class EmailIndexObject extends DurableObject {}
export default { fetch: () => new Response("ok") } satisfies ExportedHandler;
