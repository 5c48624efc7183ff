export { freePort } from "../../scripts/lib/services";
