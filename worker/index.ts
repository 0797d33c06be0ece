import { app } from "./app";

export { VisitorObject } from "./visitor";
export { SiteObject } from "./site";
export { EmailIndexObject } from "./email-index";
export { CounterObject } from "./counter";

export default app satisfies ExportedHandler<import("./env").Env>;
