// Accounts: sign-up, sign-in (the anonymous session's likes, walls, history and exposures merge into the
// account), sign-out. Every sign-in rotates the session id (no session fixation); sign-out and account
// deletion remove the session row, which revokes old cookies (see middleware/session.ts).
import type { Logger } from "../../common/log.ts";
import { HttpError } from "../errors.ts";
import type { Session } from "../middleware/session.ts";
import type { ActionRepository } from "../repositories/action.ts";
import type { UserRepository } from "../repositories/user.ts";
import type { WallRepository } from "../repositories/wall.ts";
import type { PasswordHasher } from "./password.ts";
import { randomId } from "./session-cookie.ts";
import type { SessionService } from "./session.ts";

export interface UserView {
  id: string;
  email: string;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

const badCredentials = () => new HttpError(401, "invalid_credentials", "email or password is wrong");

export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionService,
    private readonly actions: ActionRepository,
    private readonly walls: WallRepository,
    private readonly hasher: PasswordHasher,
    private readonly log: Logger,
  ) {}

  async me(s: Session): Promise<UserView | null> {
    if (!s.userId) return null;
    const u = await this.users.findById(s.userId);
    return u ? { id: u.id, email: u.email } : null;
  }

  async signUp(s: Session, emailRaw: string, password: string): Promise<{ user: UserView; session: Session }> {
    const email = normalizeEmail(emailRaw);
    const id = randomId();
    const hash = await this.hasher.hash(password);
    if (!(await this.users.create(id, email, hash))) throw new HttpError(409, "email_taken", "an account with this email exists; sign in instead");
    this.log.info("auth.signup", { userId: id });
    return { user: { id, email }, session: await this.attach(s, id) };
  }

  async signIn(s: Session, emailRaw: string, password: string): Promise<{ user: UserView; session: Session }> {
    const email = normalizeEmail(emailRaw);
    const user = await this.users.findByEmail(email);
    if (!user) {
      await this.hasher.burn(password); // same cost as a real check: no email enumeration by timing
      this.log.warn("auth.signin_failed", { reason: "unknown_email" });
      throw badCredentials();
    }
    if (!(await this.hasher.verify(password, user.passwordHash))) {
      this.log.warn("auth.signin_failed", { reason: "wrong_password", userId: user.id });
      throw badCredentials();
    }
    this.log.info("auth.signin", { userId: user.id });
    if (this.hasher.needsRehash(user.passwordHash)) await this.users.setHash(user.id, await this.hasher.hash(password));
    return { user: { id: user.id, email: user.email }, session: await this.attach(s, user.id) };
  }

  /** Ends the account session; the browser continues with a fresh anonymous one. */
  async signOut(s: Session): Promise<Session> {
    if (s.userId) await this.sessions.repo.delete(s.id);
    return { id: randomId(), userId: null };
  }

  /** Merge the anonymous session into the account and move to a new session id. */
  private async attach(s: Session, userId: string): Promise<Session> {
    if (!s.userId) {
      await this.actions.adopt(s.id, userId);
      await this.walls.adopt(s.id, userId);
    }
    const next: Session = { id: randomId(), userId };
    await this.sessions.repo.setUser(next.id, userId);
    await this.actions.moveExposures(s.id, next.id);
    if (s.userId) await this.sessions.repo.delete(s.id);
    return next;
  }
}
