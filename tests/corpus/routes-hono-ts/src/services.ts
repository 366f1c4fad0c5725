export interface Note {
  id: string;
  title: string;
  body: string;
}

export interface NoteStore {
  list(): Promise<Note[]>;
  create(input: { title: string; body: string }): Promise<Note>;
  update(id: string, patch: unknown): Promise<Note>;
  remove(id: string): Promise<void>;
  billingEvent(signature: string): Promise<void>;
}

export interface SessionStore {
  open(credentials: unknown): Promise<{ token: string }>;
}

export declare const notes: NoteStore;
export declare const sessions: SessionStore;
