import { app } from "@/lib/server/app";

// better-auth's own routes: sign-in (password and single sign-on), sign-out, session.
const auth = async (req: Request) => (await app()).auth.handler(req);
export const GET = auth;
export const POST = auth;
