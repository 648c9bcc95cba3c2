/** The server's user table. Usernames are compared case-insensitively, as nodeprep would. */
export class Accounts {
  readonly #passwords = new Map<string, string>();

  constructor(users: Record<string, string> = {}) {
    for (const [username, password] of Object.entries(users)) this.add(username, password);
  }

  add(username: string, password: string): void {
    this.#passwords.set(username.toLowerCase(), password);
  }

  exists(username: string): boolean {
    return this.#passwords.has(username.toLowerCase());
  }

  password(username: string): string | undefined {
    return this.#passwords.get(username.toLowerCase());
  }

  verify(username: string, password: string): boolean {
    const known = this.#passwords.get(username.toLowerCase());
    return known !== undefined && known === password;
  }
}
