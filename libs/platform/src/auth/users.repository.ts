import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OrgRole } from '../context/request-context';
import { UserEntity } from '../entities/platform.entities';

/** What a new user row holds (`createdAt` is the database's). */
export type NewUser = Pick<
  UserEntity,
  'id' | 'email' | 'name' | 'passwordHash' | 'isPlatformAdmin' | 'emailVerifiedAt'
>;

/**
 * `users` for authentication: look-ups by address or id across organisations, so every method takes the
 * manager of a `Db.system` transaction (ADR 0010). Addresses are compared lower-cased, whole (an unclaimed
 * account's stored address never matches the address it was signed up with; accounts.ts).
 */
@Injectable()
export class UsersRepository {
  async byEmail(em: EntityManager, email: string): Promise<UserEntity | null> {
    return em
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('lower(u.email) = :email', { email })
      .getOne();
  }

  /** The accounts holding an address (at most one: sign-up stores a taken address as an unclaimed one). */
  async holdersOf(em: EntityManager, email: string): Promise<{ id: string; name: string }[]> {
    return em.query('SELECT id, name FROM users WHERE lower(email) = $1', [email]);
  }

  async byId(em: EntityManager, id: string): Promise<UserEntity> {
    return em.findOneByOrFail(UserEntity, { id });
  }

  /** The user, locked until the transaction ends (a token that changes it is spent once). */
  async byIdForUpdate(em: EntityManager, id: string): Promise<UserEntity | null> {
    return em.findOne(UserEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Inserts the user and answers the entity inserted. */
  async insert(em: EntityManager, user: NewUser): Promise<UserEntity> {
    const entity = em.create(UserEntity, user);
    await em.insert(UserEntity, entity);
    return entity;
  }

  async update(
    em: EntityManager,
    id: string,
    patch: Partial<Pick<UserEntity, 'passwordHash' | 'emailVerifiedAt' | 'isPlatformAdmin'>>,
  ): Promise<void> {
    await em.update(UserEntity, { id }, patch);
  }

  /** The organisations a user belongs to, with the role, by name. */
  async organizationsOf(
    em: EntityManager,
    userId: string,
  ): Promise<{ id: string; name: string; role: OrgRole }[]> {
    return em.query(
      `SELECT o.id, o.name, m.role FROM memberships m JOIN organizations o ON o.id = m.tenant_id WHERE m.user_id = $1 ORDER BY o.name`,
      [userId],
    );
  }

  /** The certification bodies a user belongs to, with the role, by name. */
  async certificationBodiesOf(
    em: EntityManager,
    userId: string,
  ): Promise<{ id: string; name: string; role: string }[]> {
    return em.query(
      `SELECT b.id, b.name, m.role FROM certification_body_members m JOIN certification_bodies b ON b.id = m.body_id WHERE m.user_id = $1 ORDER BY b.name`,
      [userId],
    );
  }
}
